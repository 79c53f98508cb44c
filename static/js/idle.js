/* Idle sign-out that warns first (app/auth/idle.py, templates/_idle_warning.html).
   The warning opens before the sign-out as a modal dialog, so keyboard and screen reader users
   land on Stay signed in; Escape counts as staying too. With no answer the page sends its own
   sign-out (a board then shows its lock screen). A page's own timed reloads (the class grid,
   marked X-Lantern-Background) are not activity, here as on the server. */
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  var stayForm = document.getElementById("idle-stay");
  var outForm = document.getElementById("idle-sign-out");
  if (!dialog || !stayForm || !outForm || typeof dialog.showModal !== "function") { return; }
  var signOutAfter = Number(dialog.getAttribute("data-sign-out-seconds")) * 1000;
  var warnBefore = Number(dialog.getAttribute("data-warn-seconds")) * 1000;
  var warnTimer = null;
  var outTimer = null;

  function restart() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(outTimer);
    warnTimer = window.setTimeout(warn, signOutAfter - warnBefore);
    outTimer = window.setTimeout(signOut, signOutAfter);
  }
  function warn() {
    if (!dialog.open) { dialog.showModal(); }
  }
  function signOut() {
    window.clearTimeout(warnTimer);
    outForm.submit();
  }
  function stay() {
    var data = new FormData(stayForm);
    data.delete("next"); /* answered with 204: the page stays as it is */
    window.fetch(stayForm.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) {
          if (dialog.open) { dialog.close(); }
          restart();
        } else {
          window.location.reload(); /* signed out already: the server says where to go */
        }
      }, function () { /* offline: the warning stays up, and the press can be tried again */ });
  }

  stayForm.addEventListener("submit", function (event) {
    event.preventDefault();
    stay();
  });
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    stay();
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var config = event.detail && event.detail.requestConfig;
    var headers = (config && config.headers) || {};
    if (headers["X-Lantern-Background"] !== "poll" && event.detail.successful) { restart(); }
  });
  restart();
})();
