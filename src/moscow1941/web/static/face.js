// Moscow 1941, the web face. The pages work without this script; with it, a choice does not
// reload the page, and the terminal's keys work (1-9, u, h, t, g, s, p, ?). No inline script:
// the page's Content-Security-Policy allows this file only.
"use strict";
(function () {
  let busy = false;

  function typing(target) {
    if (!target || !target.closest) return false;
    return !!target.closest("input, textarea, select, [contenteditable]");
  }

  function swap(html, url) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const page = doc.getElementById("page");
    if (!page) { window.location.assign(url); return; }
    document.title = doc.title;
    document.documentElement.lang = doc.documentElement.lang;
    document.documentElement.dir = doc.documentElement.dir;
    document.getElementById("page").replaceWith(document.importNode(page, true));
    if (url && url !== window.location.href) history.pushState(null, "", url);
    const heading = document.querySelector("main h1");
    if (heading) { heading.focus(); } else { document.getElementById("main").focus(); }
    window.scrollTo(0, 0);
  }

  async function send(form, submitter) {
    if (busy) return;  // a double click is one choice
    busy = true;
    form.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    const body = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    try {
      const response = await fetch(form.action, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      });
      swap(await response.text(), response.url);
    } catch (e) {
      form.submit();  // the network failed: let the browser send it the plain way
    } finally {
      busy = false;
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-swap")) return;
    event.preventDefault();
    send(form, event.submitter);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key;
    if (!/^[1-9uhtgsp?]$/.test(key)) return;
    const target = document.querySelector('[data-key="' + key + '"]:not([disabled])');
    if (!target) return;
    event.preventDefault();
    if (target.tagName === "BUTTON" && target.form) {
      if (target.form.hasAttribute("data-swap")) { send(target.form, target); }
      else { target.form.requestSubmit(target); }
    } else {
      target.click();
    }
  });

  // The teacher's live view: the element marked data-refresh="N" is fetched again every N
  // seconds (not while the tab is hidden) and swapped in place; focus stays where it was, and
  // the polite live region outside it says only what changed ("3 new choices").
  function poll(live) {
    const seconds = Math.max(2, parseInt(live.getAttribute("data-refresh"), 10) || 5);
    let running = false;
    async function tick() {
      const current = document.getElementById("live");
      if (running || document.hidden || !current) return;
      running = true;
      try {
        const url = new URL(window.location.href);
        url.searchParams.set("choices", current.getAttribute("data-choices") || "0");
        url.searchParams.set("reflections", current.getAttribute("data-reflections") || "0");
        const response = await fetch(url.toString(), {
          credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
        });
        if (!response.ok || response.redirected) return;
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = doc.getElementById("live");
        if (!fresh) return;
        const active = document.activeElement;
        let focusAt = -1;
        let focusId = "";
        if (active && current.contains(active)) {
          focusId = active.id;
          focusAt = Array.prototype.indexOf.call(current.querySelectorAll("a, button, input, [tabindex]"), active);
        }
        const node = document.importNode(fresh, true);
        current.replaceWith(node);
        if (focusId && document.getElementById(focusId)) {
          document.getElementById(focusId).focus();
        } else if (focusAt >= 0) {
          const again = node.querySelectorAll("a, button, input, [tabindex]")[focusAt];
          if (again) again.focus();
        }
        const news = node.querySelector("#live-news");
        const announce = document.getElementById("live-announce");
        if (announce && news && news.textContent.trim()) announce.textContent = news.textContent.trim();
      } catch (e) {
        // the network failed: try again at the next tick
      } finally {
        running = false;
      }
    }
    window.setInterval(tick, seconds * 1000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) tick(); });
  }
  const live = document.getElementById("live");
  if (live && live.hasAttribute("data-refresh")) poll(live);

  window.addEventListener("popstate", function () { window.location.reload(); });
})();
