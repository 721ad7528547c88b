/* The point's day view of its booths, live: a socket tells of every appointment booked, moved or
   cancelled at the point, and the day's part of the page is read again (htmx). When the socket is
   closed, the page's polling (every minute) keeps it fresh, and the socket is opened again later. */
(function () {
  "use strict";
  var view = document.getElementById("day-view");
  if (!view || !view.dataset.liveSocket || !window.WebSocket) {
    return;
  }
  var status = document.getElementById("day-status");
  var wait = 2000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + view.dataset.liveSocket);
    socket.addEventListener("open", function () {
      wait = 2000;
    });
    socket.addEventListener("message", function () {
      if (window.htmx) {
        window.htmx.trigger(document.body, "scheduling-changed");
      }
      if (status && view.dataset.changedMessage) {
        status.textContent = view.dataset.changedMessage;
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code >= 4400 && event.code < 4500) {
        return; // refused: polling only
      }
      window.setTimeout(connect, wait);
      wait = Math.min(wait * 2, 60000);
    });
  }
  connect();
})();
