// Follows a planning scenario's run and announces it in the page's status region, then shows the
// result once the run has finished. Live over a WebSocket when the page offers one
// (data-socket-path); when there is none, or it cannot connect or drops, the page asks the server for
// the status every few seconds instead. While the socket is open, a slow poll stays as a safety net.
// Without JavaScript the page has a link to refresh it by hand.
(function () {
  "use strict";
  var status = document.getElementById("planning-status");
  if (!status || status.dataset.finished === "true") {
    return;
  }
  var url = status.dataset.statusUrl;
  var socketPath = status.dataset.socketPath;
  var delay = 2000;
  var liveDelay = 30000;
  var live = false;
  var timer = null;
  var done = false;

  function show(data) {
    if (done) {
      return;
    }
    if (data.finished) {
      done = true;
      window.location.reload();
      return;
    }
    if (data.text && status.textContent !== data.text) {
      status.textContent = data.text;
    }
  }

  function schedule(wait) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, wait);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (!done) {
          schedule(live ? liveDelay : delay);
        }
      })
      .catch(function () {
        // A network hiccup: try again a little later.
        schedule(delay * 3);
      });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    var lang = document.documentElement.lang || "";
    var socket;
    try {
      socket = new WebSocket(scheme + "//" + window.location.host + socketPath + "?lang=" + encodeURIComponent(lang));
    } catch (error) {
      return;
    }
    socket.addEventListener("open", function () {
      live = true;
      schedule(liveDelay);
    });
    socket.addEventListener("message", function (event) {
      try {
        show(JSON.parse(event.data));
      } catch (error) {
        // Not a status: ignore it.
      }
    });
    socket.addEventListener("close", function () {
      // Refused or dropped: back to polling.
      if (live && !done) {
        live = false;
        schedule(delay);
      }
    });
  }

  if (socketPath && "WebSocket" in window) {
    connect();
  }
  schedule(delay);
})();
