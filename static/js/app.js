/* Lantern's one script: small enhancements on top of pages that work without JavaScript. */
(function () {
  "use strict";

  /* After htmx swaps in new content, move focus to its heading so screen readers follow. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var heading = event.detail.target.querySelector("h1, h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
})();
