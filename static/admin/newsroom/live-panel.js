// The live updates panel on the article screen: its small forms are posted
// with fetch and the panel the server answers with takes its place, so the
// article's own form (and anything typed in it) is never reloaded.
"use strict";
(function () {
  const HEADERS = { "X-Newsroom-Panel": "live" };

  function panel() {
    return document.getElementById("live-updates");
  }

  function say(text) {
    const status = panel()?.querySelector("[data-live-status]");
    if (status) status.textContent = text;
  }

  async function swap(request) {
    let response;
    try {
      response = await request;
    } catch (error) {
      say("Could not reach the site: nothing was changed. Try again.");
      return;
    }
    if (response.status === 403) return say("You may not change this article.");
    if (response.status !== 200 && response.status !== 400) {
      return say("Something went wrong (" + response.status + "): nothing was changed.");
    }
    const template = document.createElement("template");
    template.innerHTML = await response.text();
    const fresh = template.content.getElementById("live-updates");
    if (!fresh) return say("Something went wrong: reload the page.");
    panel().replaceWith(fresh);
    const focus = fresh.querySelector(".errorlist, .newsroom-live__entry form textarea") || fresh.querySelector("[data-live-status]");
    if (focus && focus.matches("textarea")) focus.focus();
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.closest("#live-updates")) return;
    event.preventDefault();
    const button = event.submitter;
    if (button?.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    const body = new FormData(form, button); // before the buttons are disabled
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    swap(fetch(form.action, {
      method: "POST",
      body: body,
      headers: HEADERS,
      credentials: "same-origin",
    }));
  });

  document.addEventListener("click", function (event) {
    const link = event.target.closest("#live-updates a[data-live-get]");
    if (!link) return;
    event.preventDefault();
    swap(fetch(link.href, { headers: HEADERS, credentials: "same-origin" }));
  });
})();
