// Live updates: while a story's coverage is open, ask its endpoint for new
// and changed entries and show them without a reload. Conditional requests
// (If-None-Match) make an unchanged answer a bodiless 304.
"use strict";
(function () {
  const section = document.getElementById("live-updates");
  if (!section || !section.dataset.liveUrl) return;
  const url = section.dataset.liveUrl;
  const seconds = Math.max(Number(section.dataset.pollSeconds) || 20, 1);
  const list = section.querySelector("[data-live-entries]");
  const keyPoints = section.querySelector("[data-live-key-points]");
  const state = section.querySelector("[data-live-state]");
  let etag = null;
  let timer = null;
  let asking = false;

  function fromHtml(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // Each returns whether readers should be told (new words, not a move).
  function showKeyPoints(entry) {
    const shown = keyPoints.querySelector(".live-entry");
    if (!entry) {
      keyPoints.replaceChildren();
      return false;
    }
    if (shown && shown.id === "live-entry-" + entry.id && shown.dataset.updated === entry.updated_at) return false;
    const title = document.createElement("h3");
    title.className = "live__subtitle";
    title.textContent = "Key points";
    keyPoints.replaceChildren(title, fromHtml(entry.html));
    return true;
  }

  function showEntries(entries) {
    // Entries come newest first; each keeps its place, changed ones are
    // replaced, new ones go on top, and a pinned one leaves the list.
    const wanted = new Set(entries.map(function (entry) { return "live-entry-" + entry.id; }));
    list.querySelectorAll(".live-entry").forEach(function (shown) {
      if (!wanted.has(shown.id)) shown.closest("li").remove();
    });
    let added = 0;
    let previous = null;
    entries.forEach(function (entry) {
      let item = document.getElementById("live-entry-" + entry.id);
      item = item && list.contains(item) ? item.closest("li") : null;
      if (!item) {
        item = document.createElement("li");
        item.appendChild(fromHtml(entry.html));
        added += 1;
      } else if (item.firstElementChild.dataset.updated !== entry.updated_at) {
        item.replaceChildren(fromHtml(entry.html));
      }
      if (previous) previous.after(item);
      else list.prepend(item);
      previous = item;
    });
    return added;
  }

  function tell(added, keyPointsChanged) {
    const news = [];
    if (added) news.push(added === 1 ? "1 new update." : added + " new updates.");
    if (keyPointsChanged) news.push("Key points updated.");
    if (news.length) state.textContent = news.join(" ");
  }

  async function poll() {
    timer = null;
    if (asking || document.hidden) return; // hidden: asked again when shown
    asking = true;
    try {
      await ask();
    } finally {
      asking = false;
    }
  }

  async function ask() {
    let response;
    try {
      response = await fetch(url, {
        cache: "no-cache",
        headers: etag ? { "If-None-Match": etag, Accept: "application/json" } : { Accept: "application/json" },
      });
    } catch (error) {
      return schedule(); // offline for a moment: try again later
    }
    if (response.status === 200) {
      etag = response.headers.get("ETag");
      const live = await response.json();
      const keyPointsChanged = showKeyPoints(live.key_points);
      tell(showEntries(live.entries), keyPointsChanged);
      if (!live.live) {
        state.textContent = "Live coverage has ended.";
        section.querySelector(".live__badge")?.remove();
        return; // nothing more will come
      }
    } else if (response.status === 404 || response.status === 410) {
      return; // unpublished or withdrawn: stop asking
    }
    schedule(); // unchanged (304), or the site is failing for a moment
  }

  function schedule() {
    if (timer === null) timer = setTimeout(poll, seconds * 1000);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer === null && !asking) poll();
  });
  schedule();
})();
