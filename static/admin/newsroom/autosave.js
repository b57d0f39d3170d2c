/* Autosave for the article form (articles/editorial/autosave.py).
 *
 * Every data-seconds seconds, and when the page is hidden or left, the form's
 * fields are sent to data-url if they changed since the last copy. The server
 * keeps them as this user's copy, never as the article; a real save deletes
 * it. The form's hidden base_version tells the server which version the form
 * was opened at: if the article was saved since, the copy is refused (409)
 * and autosave stops, so it never stands in for a newer save.
 */
(function () {
  "use strict";
  const config = document.getElementById("newsroom-autosave");
  if (!config) return;
  const form = config.closest("form");
  const url = config.dataset.url;
  const seconds = Math.max(Number(config.dataset.seconds) || 20, 0.1);
  const state = document.getElementById("autosave-state");
  let stopped = false;
  let busy = false;

  function fields() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string") params.append(name, value);
    }
    return params;
  }

  // What the page opened with needs no copy.
  let kept = fields().toString();

  function changed() {
    if (stopped) return null;
    const params = fields();
    return params.toString() === kept ? null : params;
  }

  function say(text) {
    if (state) state.textContent = text;
  }

  // "14:32" in the newsroom's time zone, as the offer of a copy says it.
  function clock() {
    return new Date().toLocaleTimeString("en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: config.dataset.timeZone || undefined,
    });
  }

  async function save() {
    const params = changed();
    if (!params || busy) return;
    busy = true;
    try {
      const response = await fetch(url, {
        method: "POST",
        body: params,
        credentials: "same-origin",
      });
      if (response.status === 204) {
        kept = params.toString();
        say(`Unsaved changes kept at ${clock()}.`);
      } else if (response.status === 409) {
        stopped = true;
        say("Someone saved this article since you opened it: autosave has stopped. " +
            "Saving shows what they changed.");
      } else if (response.status === 413) {
        say("Too long to autosave: save the article to keep your work.");
      } else {
        say(`Autosave failed (${response.status}): save the article to keep your work.`);
      }
    } catch (error) {
      say("Autosave failed (no connection): save the article to keep your work.");
    } finally {
      busy = false;
    }
  }

  function saveOnLeaving() {
    const params = changed();
    if (!params) return;
    // A beacon outlives the page; if the browser refuses it (too large),
    // a keepalive request may still go.
    if (!navigator.sendBeacon(url, params)) {
      fetch(url, { method: "POST", body: params, keepalive: true, credentials: "same-origin" })
        .catch(() => {});
    }
    kept = params.toString();
  }

  // Saving (or discarding) is the real thing, and restoring brings the copy
  // back: no copy made on the way out.
  form.addEventListener("submit", () => { stopped = true; });
  const restore = document.querySelector("#autosave-offer a");
  if (restore) restore.addEventListener("click", () => { stopped = true; });

  // Discard deletes the copy; what is typed from now on gets a new one.
  const discard = document.getElementById("autosave-discard");
  if (discard) {
    discard.addEventListener("click", async () => {
      const params = new URLSearchParams({
        csrfmiddlewaretoken: form.elements.csrfmiddlewaretoken.value,
        discard: "1",
      });
      const response = await fetch(url, { method: "POST", body: params, credentials: "same-origin" })
        .catch(() => null);
      if (response && response.status === 204) {
        document.getElementById("autosave-offer").remove();
        say("Unsaved changes discarded.");
      } else {
        say("The unsaved changes could not be discarded; try again.");
      }
    });
  }
  window.setInterval(save, seconds * 1000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") saveOnLeaving();
  });
  window.addEventListener("pagehide", saveOnLeaving);
})();
