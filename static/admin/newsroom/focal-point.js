/* The picture admin's focal point (articles/media/admin.py).
 *
 * Clicking the picture sets the two number fields (0 to 1, from the top
 * left) and moves the marker there; typing in the fields moves the marker
 * too, which is the way to choose the point from the keyboard. Saving the
 * form saves the point, and the renditions are cut around it again.
 */
"use strict";
(function () {
  function start() {
    const picker = document.querySelector("[data-focal-point]");
    const across = document.querySelector('[data-focal="focal_x"]');
    const down = document.querySelector('[data-focal="focal_y"]');
    if (!picker || !across || !down) return;
    const picture = picker.querySelector("img");
    const marker = picker.querySelector(".focal-point__marker");
    const clamp = (value) => Math.min(1, Math.max(0, value));

    function show() {
      const x = clamp(Number(across.value) || 0);
      const y = clamp(Number(down.value) || 0);
      marker.style.left = `${x * 100}%`;
      marker.style.top = `${y * 100}%`;
    }

    picture.addEventListener("click", (event) => {
      const box = picture.getBoundingClientRect();
      across.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
      down.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
      across.dispatchEvent(new Event("change", { bubbles: true }));
      down.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    });
    across.addEventListener("input", show);
    down.addEventListener("input", show);
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
