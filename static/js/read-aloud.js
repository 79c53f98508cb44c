/* Read an AUP aloud with the browser's own speech synthesis, in the text's own language.
   The title, intro, each statement and the closing are read one by one, and the part being
   read is highlighted. Pause and Stop appear while reading. Nothing is ever read until asked.
   When the browser has no voice for the text's language, it says so instead of reading the
   text in the wrong accent. Without speech synthesis (or JavaScript) no button is shown. */
(function () {
  "use strict";

  if (!("speechSynthesis" in window && "SpeechSynthesisUtterance" in window)) { return; }
  var synth = window.speechSynthesis;

  function primary(lang) { return (lang || "").toLowerCase().replace("_", "-").split("-")[0]; }

  /* the best voice for lang: the same region first (en-GB for en), else any of the language */
  function voiceFor(lang) {
    var voices = synth.getVoices() || [];
    var wanted = primary(lang);
    var regional = wanted + "-gb";
    var match = null;
    for (var i = 0; i < voices.length; i += 1) {
      var voiceLang = (voices[i].lang || "").toLowerCase().replace("_", "-");
      if (voiceLang === regional) { return voices[i]; }
      if (!match && primary(voiceLang) === wanted) { match = voices[i]; }
    }
    return match;
  }

  /* voices often load after the page: wait a moment for them before deciding there are none */
  function withVoices(callback) {
    if ((synth.getVoices() || []).length) { callback(); return; }
    var done = false;
    function finish() {
      if (done) { return; }
      done = true;
      callback();
    }
    if (synth.addEventListener) { synth.addEventListener("voiceschanged", finish, { once: true }); }
    window.setTimeout(finish, 1500);
  }

  function setUp(box) {
    var article = document.querySelector(box.getAttribute("data-speak"));
    if (!article) { return; }
    var start = box.querySelector(".speak__start");
    var pause = box.querySelector(".speak__pause");
    var stop = box.querySelector(".speak__stop");
    var status = box.querySelector(".speak__status");
    var lang = box.getAttribute("data-speak-lang") || document.documentElement.lang || "en";
    var current = null;

    function highlight(part) {
      if (current) { current.classList.remove("is-speaking"); }
      current = part;
      if (part) {
        part.classList.add("is-speaking");
        if (part.scrollIntoView) { part.scrollIntoView({ block: "nearest" }); }
      }
    }

    function finished() {
      highlight(null);
      var hadFocus = document.activeElement === pause || document.activeElement === stop;
      pause.hidden = true;
      stop.hidden = true;
      pause.textContent = box.getAttribute("data-pause");
      if (hadFocus) { start.focus(); }
    }

    function read() {
      var voice = voiceFor(lang);
      if (!voice) {
        status.textContent = box.getAttribute("data-no-voice");
        return;
      }
      status.textContent = "";
      synth.cancel();
      var parts = article.querySelectorAll(box.getAttribute("data-speak-parts"));
      parts.forEach(function (part, index) {
        var utterance = new SpeechSynthesisUtterance(part.textContent.replace(/\s+/g, " ").trim());
        utterance.lang = voice.lang || lang;
        utterance.voice = voice;
        utterance.rate = 0.9;
        utterance.onstart = function () { highlight(part); };
        if (index === parts.length - 1) { utterance.onend = finished; }
        synth.speak(utterance);
      });
      pause.hidden = false;
      stop.hidden = false;
    }

    start.addEventListener("click", function () { withVoices(read); });
    pause.addEventListener("click", function () {
      if (synth.paused) {
        synth.resume();
        pause.textContent = box.getAttribute("data-pause");
      } else {
        synth.pause();
        pause.textContent = box.getAttribute("data-resume");
      }
    });
    stop.addEventListener("click", function () {
      synth.cancel();
      finished();
      start.focus();
    });
    /* leaving the page stops the voice, so it never carries on over the next one */
    window.addEventListener("pagehide", function () { synth.cancel(); });
    box.hidden = false;
  }

  function init() { document.querySelectorAll("[data-speak]").forEach(setUp); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
