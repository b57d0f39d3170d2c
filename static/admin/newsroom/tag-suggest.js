// Suggestions for the comma-separated tags field of the article form.
// The field keeps working as plain text; this only offers existing tag names.
"use strict";
(function () {
  function currentFragment(value) {
    const parts = value.split(",");
    return parts[parts.length - 1].trim();
  }

  function replaceFragment(value, name) {
    const parts = value.split(",");
    parts.pop();
    const quoted = name.includes(",") || name.includes('"') ? '"' + name.replace(/"/g, "") + '"' : name;
    parts.push(quoted);
    return parts.map(function (p) { return p.trim(); }).filter(Boolean).join(", ") + ", ";
  }

  function attach(input) {
    const url = input.dataset.suggestUrl;
    const wrapper = document.createElement("div");
    wrapper.className = "tag-suggest";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    const list = document.createElement("ul");
    list.className = "tag-suggest__list";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrapper.appendChild(list);
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    let active = -1;
    let timer = null;
    let request = 0;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      active = -1;
    }

    function choose(name) {
      input.value = replaceFragment(input.value, name);
      close();
      input.focus();
    }

    function highlight(index) {
      const items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
    }

    function show(results) {
      list.replaceChildren();
      results.forEach(function (tag) {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.name = tag.name;
        li.textContent = tag.name;
        const count = document.createElement("span");
        count.className = "tag-suggest__count";
        count.textContent = "(" + tag.count + ")";
        li.appendChild(count);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(tag.name);
        });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      active = -1;
    }

    function lookup() {
      const fragment = currentFragment(input.value);
      if (fragment.length < 1) { close(); return; }
      const mine = ++request;
      fetch(url + "?q=" + encodeURIComponent(fragment), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { if (mine === request) show(data.results || []); })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    input.addEventListener("keydown", function (event) {
      const items = list.querySelectorAll("li");
      if (list.hidden || !items.length) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active].dataset.name); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url]").forEach(attach);
  });
})();
