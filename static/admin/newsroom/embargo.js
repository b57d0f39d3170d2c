// Embargo countdowns ("lifts in 2 h 14 min", embargo.py renders the first),
// ticked every half minute while the page is open.
(function () {
  "use strict";

  function liftsIn(ms) {
    if (ms <= 0) return "lifted";
    const minutes = Math.ceil(ms / 60000);
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const mins = minutes % 60;
    let parts = [mins + " min"];
    if (days) parts = [days + " d", hours + " h"];
    else if (hours) parts = [hours + " h", mins + " min"];
    return "lifts in " + parts.join(" ");
  }

  function tick() {
    document.querySelectorAll("[data-embargo-until]").forEach(function (el) {
      el.textContent = liftsIn(Date.parse(el.dataset.embargoUntil) - Date.now());
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 30000);
  });
})();
