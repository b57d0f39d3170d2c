// The body editor's toolbar draws its icons from a web font by ligature
// ("format_bold"); where the font does not load, editors see the words or
// missing-glyph boxes. This swaps each for an inline SVG drawn here.
//
// Adding a toolbar button (an embed, a picture): register its icon by the
// name the button is made with, e.g.
//   window.newsroomEditorIcons.register("image", "M4 5h16v14H4z M4 15l5-5 4 4 3-3 4 4");
// The drawing is one SVG path on a 24 × 24 grid, stroked in the text colour.
"use strict";
(function () {
  const paths = {
    format_bold: "M7 4h6a4 4 0 0 1 0 8H7z M7 12h7.5a4 4 0 0 1 0 8H7z",
    format_italic: "M10 4h8 M6 20h8 M15 4 9 20",
    title: "M6 5v14 M18 5v14 M6 12h12",
    format_list_bulleted: "M10 6h10 M10 12h10 M10 18h10 M4.5 6h.5 M4.5 12h.5 M4.5 18h.5",
    format_list_numbered: "M10 6h10 M10 12h10 M10 18h10 M4 4.5h1.5V9 M3.5 11.5h2.5l-2.5 3h2.5 M3.5 16.5h2.5l-1.5 1.5 1.5 1.5H3.5",
    format_quote: "M5 17c2-1 3-3 3-6H4V6h5v5 M14 17c2-1 3-3 3-6h-4V6h5v5",
    insert_link: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1 M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
    link_off: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1 M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1 M4 4l16 16",
    undo: "M9 14 4 9l5-5 M4 9h11a5 5 0 0 1 0 10h-3",
    redo: "M15 14l5-5-5-5 M20 9H9a5 5 0 0 0 0 10h3",
    tune: "M4 7h10 M18 7h2 M14 5v4 M4 17h4 M12 17h8 M8 15v4",
    notes: "M4 6h16 M4 12h16 M4 18h10",
    horizontal_rule: "M4 12h16",
    code: "M8 7l-5 5 5 5 M16 7l5 5-5 5",
    // The body's own nodes (body-media.js): a picture, and an embedded player.
    image: "M4 5h16v14H4z M4 16l5-5 4 4 3-3 4 4 M15.5 8.5h.5",
    embed: "M3 6h18v12H3z M10 9.5v5l4.5-2.5z",
  };
  // Anything not drawn yet: a plain square, with the button's own title.
  const unknown = "M6 6h12v12H6z";
  const SVG = "http://www.w3.org/2000/svg";

  function icon(name) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "newsroom-icon");
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", paths[name] || unknown);
    svg.appendChild(path);
    return svg;
  }

  function draw(root) {
    root.querySelectorAll(".prose-menubar .material-icons").forEach(function (button) {
      const name = button.textContent.trim();
      button.classList.remove("material-icons");
      button.classList.add("newsroom-icon-button");
      if (!button.getAttribute("aria-label")) {
        button.setAttribute("aria-label", button.title || name.replace(/_/g, " "));
      }
      button.textContent = "";
      button.appendChild(icon(name));
    });
  }

  window.newsroomEditorIcons = {
    register: function (name, d) {
      paths[name] = d;
    },
    draw: draw,
  };

  function start() {
    draw(document);
    // Editors are built after this script runs (and again for new inline rows).
    new MutationObserver(function (changes) {
      if (changes.some(function (c) { return c.addedNodes.length; })) draw(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
