// Click-to-load embeds: nothing from a provider loads until the reader asks.
// The page's Content-Security-Policy allows frames from exactly the players
// named by the placeholders on it (data-embed-frame).
"use strict";
(function () {
  function load(figure) {
    const frame = document.createElement("iframe");
    frame.src = figure.dataset.embedFrame;
    frame.title = figure.dataset.embedTitle || "Embedded content";
    frame.className = "embed__frame";
    frame.loading = "lazy";
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.allow = "encrypted-media; fullscreen; picture-in-picture";
    frame.setAttribute("allowfullscreen", "");
    const consent = figure.querySelector(".embed__consent");
    consent.replaceWith(frame);
    figure.classList.add("embed--loaded");
    frame.focus();
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest(".embed__load");
    const figure = button && button.closest("figure[data-embed-frame]");
    if (figure) load(figure);
  });
})();
