// Follows a planning scenario's run: asks the server for its status every few seconds, announces it
// in the page's status region, and shows the result once the run has finished. Without JavaScript the
// page has a link to refresh it by hand.
(function () {
  "use strict";
  var status = document.getElementById("planning-status");
  if (!status || status.dataset.finished === "true") {
    return;
  }
  var url = status.dataset.statusUrl;
  var delay = 2000;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (data.finished) {
          window.location.reload();
          return;
        }
        if (status.textContent !== data.text) {
          status.textContent = data.text;
        }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // A network hiccup: try again a little later.
        window.setTimeout(poll, delay * 3);
      });
  }

  window.setTimeout(poll, delay);
})();
