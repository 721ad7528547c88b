/* Draws each statistics chart from the table below it (the numbers in its cells' data-value
   attributes): no data in inline scripts, and without JavaScript the tables alone remain. The chart
   is hidden from screen readers (aria-hidden on its container), which read the table instead. */
(function () {
  "use strict";
  var COLOURS = ["#0072c6", "#d35400", "#00815b", "#8e44ad", "#b8860b", "#c0392b", "#2c3e50", "#16a085", "#7f8c8d", "#e91e63"];

  function number(text) {
    return text === "" ? null : Number(text);
  }

  function draw(container) {
    var table = document.getElementById(container.getAttribute("data-table"));
    if (!table || typeof window.Chart === "undefined") {
      return;
    }
    var kind = container.getAttribute("data-chart");
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    }).slice(1);
    var chosen = container.getAttribute("data-columns");
    var columns = chosen ? chosen.split(",").map(Number) : headers.map(function (_, k) { return k; });
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var labels = rows.map(function (row) { return row.querySelector("th").textContent.trim(); });
    var datasets = columns.map(function (column, k) {
      var colour = COLOURS[k % COLOURS.length];
      return {
        label: headers[column],
        data: rows.map(function (row) { return number(row.querySelectorAll("td")[column].getAttribute("data-value")); }),
        backgroundColor: colour,
        borderColor: colour,
        spanGaps: false
      };
    });
    var canvas = document.createElement("canvas");
    container.appendChild(canvas);
    var stacked = kind === "stacked";
    new window.Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        locale: document.documentElement.lang || "fi",
        animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : undefined,
        maintainAspectRatio: false,
        responsive: true,
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true } }
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".statistics-chart[data-table]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
