// The writing screen: the headline stays one line of text however it wraps,
// the body's word count and reading time follow the text, and the search and
// social previews follow the headline, deck and SEO fields as they are typed.
"use strict";
(function () {
  // Cut as a search engine does: at a word, with an ellipsis, near `max`.
  function cut(text, max) {
    text = text.replace(/\s+/g, " ").trim();
    if (text.length <= max) return text;
    let head = text.slice(0, max - 1);
    const space = head.lastIndexOf(" ");
    if (space > max / 2) head = head.slice(0, space);
    return head.replace(/[\s.,;:!?\u2013\u2014-]+$/, "") + "\u2026";
  }

  function value(id) {
    const field = document.getElementById(id);
    return field ? field.value.trim() : "";
  }

  function words(text) {
    const found = text.match(/[\p{L}\p{N}][\p{L}\p{N}'\u2019-]*/gu);
    return found ? found.length : 0;
  }

  function bodyText() {
    const editor = Array.from(document.querySelectorAll(".field-body .ProseMirror"))
      .find(function (e) { return e.offsetParent !== null; });
    if (editor) return editor.innerText;
    const textarea = document.getElementById("id_body");
    if (!textarea) return "";
    const scratch = document.createElement("div");
    scratch.innerHTML = textarea.value;  // detached: nothing runs or loads
    return scratch.textContent;
  }

  function showCounts() {
    const out = document.getElementById("body-counts");
    if (!out) return;
    const count = words(bodyText());
    const perMinute = Number(out.dataset.wordsPerMinute) || 230;
    const minutes = count ? Math.max(1, Math.round(count / perMinute)) : 0;
    const text = count.toLocaleString("en-GB") + (count === 1 ? " word" : " words") +
      " \u00b7 " + minutes + " min read";
    if (out.textContent !== text) out.textContent = text;
  }

  function showPreviews() {
    const panel = document.querySelector(".newsroom-previews");
    if (!panel) return;
    const title = value("id_seo_title") || value("id_headline");
    const description = value("id_seo_description") || value("id_deck");
    const site = panel.dataset.siteName;
    const fill = function (name, text) {
      const node = panel.querySelector('[data-preview="' + name + '"]');
      if (node) node.textContent = text;
    };
    fill("search-title", cut(site ? title + " | " + site : title, Number(panel.dataset.titleMax)));
    fill("search-description", cut(description, Number(panel.dataset.descriptionMax)));
    fill("card-title", cut(title, 90));
    fill("card-description", cut(description, 200));
  }

  function labelOf(id) {
    const label = id && document.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  // Widgets drawn by scripts carry no label of their own: the body editor
  // and the autocomplete boxes take their field's.
  function nameWidgets() {
    document.querySelectorAll(".field-body .ProseMirror:not([aria-label])").forEach(function (e) {
      e.setAttribute("aria-label", labelOf("id_body") || "Body");
      e.setAttribute("aria-multiline", "true");
    });
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      const name = labelOf(select.id) || select.getAttribute("aria-label") || "";
      container.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (e) {
        if (e.getAttribute("aria-label") !== name) e.setAttribute("aria-label", name);
      });
    });
  }

  function start() {
    nameWidgets();
    new MutationObserver(nameWidgets).observe(document.getElementById("content-main") || document.body, {
      childList: true, subtree: true,
    });
    const headline = document.getElementById("id_headline");
    if (headline && headline.tagName === "TEXTAREA") {
      // A headline is one line: Enter saves nothing and adds no break.
      headline.addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.preventDefault();
      });
    }
    const form = document.getElementById("article_form");
    if (!form) return;
    form.addEventListener("input", function () { showPreviews(); showCounts(); });
    // The body editor reports its changes as edits of its own element, and
    // its toolbar (undo, lists) changes it without an input event.
    const body = form.querySelector(".field-body");
    if (body) {
      new MutationObserver(showCounts).observe(body, {
        subtree: true, childList: true, characterData: true,
      });
    }
    const picture = document.getElementById("id_hero_image");
    const note = document.querySelector('[data-preview="card-image-note"]');
    if (picture && note) {
      const saved = picture.value;
      // The autocomplete (select2) announces a choice with a jQuery event.
      const changed = function () { note.hidden = picture.value === saved; };
      picture.addEventListener("change", changed);
      if (window.django && window.django.jQuery) window.django.jQuery(picture).on("change", changed);
    }
    showPreviews();
    showCounts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
