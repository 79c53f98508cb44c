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

  /* Fit the slide to its screen: the largest --fit from 1 down to FLOOR (see present.css) at
     which nothing overflows, found by halving the interval; at the floor a slide still too
     full scrolls inside itself (the measuring browser test and content check keep that from
     happening). The notes panel sits just above the bar, however tall the bar has wrapped. */
  var FLOOR = 6 / 7;
  function overflows(slide) {
    return slide.scrollHeight > slide.clientHeight + 1 || slide.scrollWidth > slide.clientWidth + 1;
  }
  function fit() {
    var slide = document.querySelector(".deck .slide");
    var bar = document.querySelector(".deck-bar");
    if (bar) { document.documentElement.style.setProperty("--deck-bar-height", bar.offsetHeight + "px"); }
    if (!slide) { return; }
    slide.style.setProperty("--fit", "1");
    if (!overflows(slide)) { return; }
    var low = FLOOR;
    var high = 1;
    slide.style.setProperty("--fit", String(low));
    if (overflows(slide)) { return; }
    for (var step = 0; step < 6; step += 1) {
      var middle = (low + high) / 2;
      slide.style.setProperty("--fit", String(middle));
      if (overflows(slide)) { high = middle; } else { low = middle; }
    }
    slide.style.setProperty("--fit", String(low));
    slide.scrollTop = 0;
  }
  function fitted() {
    fit();
    var slide = document.querySelector(".deck .slide");
    if (slide) { slide.setAttribute("data-fitted", ""); }
  }
  /* resize fires at most once a frame: fit straight away, before the frame is drawn */
  window.addEventListener("resize", fit);
  /* A picture loaded changes what the slide holds: fit again. */
  document.addEventListener("load", function (event) {
    if (event.target.tagName === "IMG" && event.target.closest(".slide")) { fit(); }
  }, true);

  /* Show the full-screen button only where the browser supports it; tell a notes window. */
  function ready() {
    fitted();
    /* A revealed answer takes focus, so a screen reader reads it; it is already in view. */
    var revealed = document.getElementById("revealed");
    if (revealed) { revealed.focus({ preventScroll: true }); }
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(fit); }
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
