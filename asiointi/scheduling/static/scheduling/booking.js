// The advisor's booking page: typing in the filter field hides the services whose names do not
// match (the page works without this script: every service is then listed).
(function () {
  "use strict";
  function setUp() {
    var input = document.querySelector("[data-filter-input]");
    var list = document.querySelector("#id_services [data-filter-list]");
    if (!input || !list) {
      return;
    }
    var items = list.querySelectorAll("[data-filter-text]");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      items.forEach(function (item) {
        var text = item.getAttribute("data-filter-text");
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        var box = item.querySelector("input");
        item.hidden = !match && !(box && box.checked);
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var first = list.querySelector("li:not([hidden]) input");
        if (first) {
          first.focus();
        }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
