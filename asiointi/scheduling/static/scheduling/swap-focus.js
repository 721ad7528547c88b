/* After htmx has replaced a part of the page (the next week's free times, another day of a
   calendar), move the keyboard focus to that part's heading, so that keyboard and screen-reader
   users continue from the new content; the page's live region (role="status") says what changed. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    var asker = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    // A refresh of the part by itself (polling, a live event) leaves the focus where it is.
    if (!target || !target.isConnected || !asker || asker.hasAttribute("data-swap-quiet")) {
      return;
    }
    var heading = target.querySelector("[data-swap-focus]") || target.querySelector("h2");
    if (!heading) {
      return;
    }
    if (!heading.hasAttribute("tabindex")) {
      heading.setAttribute("tabindex", "-1");
    }
    heading.focus();
  });
})();
