/* Present mode: keyboard and clicker navigation, full screen, and a notes window that follows.
   Every slide is its own page with rel=prev/next links; this script only presses them. */
(function () {
  "use strict";

  var NEXT_KEYS = { ArrowRight: "next", PageDown: "next", " ": "next", ArrowLeft: "prev", PageUp: "prev", Home: "first", End: "last" };
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("lantern-present") : null;

  function deck() { return document.querySelector(".deck"); }

  function canFullscreen() { return Boolean(document.fullscreenEnabled && document.documentElement.requestFullscreen); }

  /* Keys typed into a form field, and Space on a button or disclosure, are left alone. */
  function ownsKey(element, key) {
    if (!element || !element.closest) { return false; }
    if (element.closest("input, select, textarea, [contenteditable]")) { return true; }
    return key === " " && Boolean(element.closest("button, summary"));
  }

  function follow(rel) {
    var link = document.querySelector('a[rel="' + rel + '"]');
    if (link) { link.click(); }
    return Boolean(link);
  }

  function toggleFullscreen() {
    if (!canFullscreen()) { return; }
    if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
    var board = deck();
    var notesPage = document.querySelector("[data-follow-deck]");
    if (!board && !notesPage) { return; }
    if (ownsKey(event.target, event.key)) { return; }
    var rel = NEXT_KEYS[event.key];
    if (rel) {
      if (event.key === " " && event.shiftKey) { rel = "prev"; }
      event.preventDefault();
      follow(rel);
      return;
    }
    if (!board) { return; }
    var openNotes = board.querySelector("details[open]");
    if ((event.key === "f" || event.key === "F") && canFullscreen()) {
      event.preventDefault();
      toggleFullscreen();
    } else if (event.key === "Escape" && openNotes) {
      openNotes.open = false;
    } else if (event.key === "Escape" && !document.fullscreenElement) {
      window.location.assign(board.getAttribute("data-exit-url"));
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-fullscreen]")) { toggleFullscreen(); }
  });

  /* Show the full-screen button only where the browser supports it; tell a notes window. */
  function ready() {
    document.querySelectorAll("[data-fullscreen]").forEach(function (button) { button.hidden = !canFullscreen(); });
    var board = deck();
    if (board && channel && board.hasAttribute("data-notes-url")) {
      channel.postMessage({ deck: board.getAttribute("data-deck-key"), notes: board.getAttribute("data-notes-url") });
    }
  }

  if (channel) {
    channel.addEventListener("message", function (event) {
      var notesPage = document.querySelector("[data-follow-deck]");
      var data = event.data || {};
      if (!notesPage || data.deck !== notesPage.getAttribute("data-follow-deck") || typeof data.notes !== "string") { return; }
      /* only ever a path on this site */
      if (data.notes.charAt(0) !== "/" || data.notes.charAt(1) === "/") { return; }
      if (data.notes !== window.location.pathname) { window.location.assign(data.notes); }
    });
  }

  document.addEventListener("DOMContentLoaded", ready);
  document.addEventListener("htmx:afterSettle", ready);
})();
