/* Lantern's one script: small enhancements on top of pages that work without JavaScript. */
(function () {
  "use strict";

  /* A keypad-like form (the picture password) keeps focus on the key just pressed, so a
     keyboard user can go on choosing; its role=status line announces the progress. */
  var pressed = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("form[data-keep-focus] button[name]");
    pressed = button ? { name: button.name, value: button.value } : null;
  });

  function pressedAgain(root) {
    if (!pressed) { return null; }
    var buttons = root.querySelectorAll("form[data-keep-focus] button[name]");
    for (var i = 0; i < buttons.length; i += 1) {
      if (buttons[i].name === pressed.name && buttons[i].value === pressed.value) { return buttons[i]; }
    }
    return null;
  }

  /* After htmx swaps in new content, move focus to its heading so screen readers follow. */
  document.addEventListener("htmx:afterSettle", function (event) {
    /* an outerHTML swap replaces the target: look the new element up by its id */
    var old = event.detail.target;
    if (!old) { return; }
    hideFailure();
    var root = (old.id && document.getElementById(old.id)) || old;
    /* results that follow a filter as it is typed or chosen (data-filters) leave focus in the
       filter, so no keystroke is lost; their count is announced by the page's status line */
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var filtering = source && source.closest && source.closest("[data-filters]");
    document.querySelectorAll("[data-status-from]").forEach(function (status) {
      var from = document.querySelector(status.getAttribute("data-status-from"));
      if (from) { status.textContent = from.textContent; }
    });
    /* a message the pupil must act on first (a quiz question left blank) takes focus; in the
       lesson player the lesson's h1 stays the same: the new step's title is what is new */
    var target = filtering ? null
      : pressedAgain(root) || root.querySelector("[data-focus-first]") ||
        root.querySelector("#step-title") || root.querySelector("h1, h2");
    pressed = null;
    if (target) {
      if (target.tagName !== "BUTTON") { target.setAttribute("tabindex", "-1"); }
      target.focus();
    }
    showReadAloud(root);
  });

  /* Read aloud (KS1 and KS2): only where the browser can speak; hidden everywhere else. */
  var canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;

  function showReadAloud(root) {
    if (!canSpeak) { return; }
    root.querySelectorAll(".read-aloud").forEach(function (button) { button.hidden = false; });
  }

  function textOf(element) {
    var parts = [];
    element.querySelectorAll("h2, p, legend, .choice-button, label span, li").forEach(function (node) {
      if (!node.closest(".read-aloud") && !node.closest(".visually-hidden")) { parts.push(node.textContent.trim()); }
    });
    return parts.join(". ");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".read-aloud");
    if (!button || !canSpeak) { return; }
    var synth = window.speechSynthesis;
    if (synth.speaking) { synth.cancel(); return; }
    var target = document.querySelector(button.getAttribute("data-read"));
    if (!target) { return; }
    var utterance = new SpeechSynthesisUtterance(textOf(target));
    /* speak in the text's own language: English lessons stay English on a Welsh page */
    var marked = target.closest("[lang]");
    utterance.lang = (marked && marked.lang) || document.documentElement.lang || "en-GB";
    utterance.rate = 0.9;
    synth.speak(utterance);
  });

  document.addEventListener("DOMContentLoaded", function () { showReadAloud(document); });
  /* Back and Forward restore a whole page from the server: offer read aloud again */
  document.addEventListener("htmx:historyRestore", function () { showReadAloud(document); });

  /* htmx does not swap in an error response, so without this a failed press does nothing. */
  function showFailure() {
    var note = document.getElementById("request-failed");
    if (!note) { return; }
    note.hidden = false;
    note.focus();
  }

  function hideFailure() {
    var note = document.getElementById("request-failed");
    if (note) { note.hidden = true; }
  }

  /* Too many tries (429) and a very busy moment (503) are messages the person must read
     ("please wait a minute"), not failures: swap their page in like any other answer (the
     picture password, for one). */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (status === 429 || status === 503) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);
})();
