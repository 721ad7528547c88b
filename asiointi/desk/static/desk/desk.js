/* The desk: a running timer for the transaction's duration, number keys for the services, U for
   undo, a filter of the services, and live updates (a WebSocket tells the page to reload its panels,
   which htmx also polls). Everything here only adds to plain forms that work without it. */
(function () {
  "use strict";

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select") return true;
    if (tag !== "input") return false;
    var type = (target.getAttribute("type") || "text").toLowerCase();
    return ["radio", "checkbox", "button", "submit", "hidden"].indexOf(type) === -1;
  }

  function startTimer() {
    var started = document.querySelector("input[name='started']");
    var shown = document.querySelector("[data-timer]");
    if (!started || !shown) return;
    var begin = Date.now();
    function tick() {
      var total = Math.max(0, Math.floor((Date.now() - begin) / 1000));
      var seconds = total % 60;
      shown.textContent = Math.floor(total / 60) + ":" + (seconds < 10 ? "0" : "") + seconds;
    }
    // The server's clock decides: the hidden field keeps its value; the display counts from load.
    tick();
    window.setInterval(tick, 1000);
  }

  function shortcuts() {
    var form = document.getElementById("record_form");
    if (!form) return;
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      // Enter on a chosen service records (a radio button does not submit its form by itself).
      if (event.key === "Enter" && event.target && event.target.form === form && !isTyping(event.target)) {
        var type = (event.target.getAttribute("type") || "").toLowerCase();
        if (type === "radio" || type === "checkbox") {
          event.preventDefault();
          form.requestSubmit();
        }
        return;
      }
      if (isTyping(event.target)) return;
      if (/^[1-9]$/.test(event.key)) {
        var labels = form.querySelectorAll("#id_service label");
        for (var i = 0; i < labels.length; i++) {
          if (labels[i].textContent.trim().indexOf("[" + event.key + "]") === 0) {
            var input = document.getElementById(labels[i].getAttribute("for"));
            if (input) {
              input.checked = true;
              input.focus();
              event.preventDefault();
            }
            return;
          }
        }
      } else if (event.key === "u" || event.key === "U") {
        var undo = document.querySelector("[data-shortcut='undo']");
        if (undo) {
          event.preventDefault();
          undo.click();
        }
      }
    });
  }

  function filter() {
    var box = document.querySelector("[data-filter-input]");
    if (!box) return;
    var list = document.querySelector("#id_service [data-filter-list]");
    if (!list) return;
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().trim();
      list.querySelectorAll("li").forEach(function (item) {
        var text = item.getAttribute("data-filter-text") || "";
        item.hidden = words !== "" && text.indexOf(words) === -1;
      });
    });
  }

  function live() {
    document.querySelectorAll("[data-live-socket]").forEach(function (holder) {
      var path = holder.getAttribute("data-live-socket");
      var wait = 1000;
      function connect() {
        var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
        var socket = new WebSocket(scheme + window.location.host + path);
        socket.addEventListener("open", function () {
          wait = 1000;
          document.body.setAttribute("data-live", "on");
        });
        socket.addEventListener("message", function () {
          document.body.dispatchEvent(new CustomEvent("desk-refresh"));
        });
        socket.addEventListener("close", function (event) {
          if (event.code >= 4400 && event.code < 4500) return; // refused: polling carries on
          window.setTimeout(connect, wait);
          wait = Math.min(wait * 2, 30000);
        });
      }
      connect();
    });
  }

  function print() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  // A result of the service finder fills the recording form (the link does the same without JS).
  function chooseFromFinder() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("[data-choose-service]") : null;
      if (!link) return;
      var input = document.querySelector("#id_service input[value='" + link.getAttribute("data-choose-service") + "']");
      if (!input) return;
      event.preventDefault();
      var agency = document.getElementById("id_agency");
      if (agency) agency.value = "";
      input.checked = true;
      input.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    chooseFromFinder();
    startTimer();
    shortcuts();
    filter();
    live();
    print();
  });
})();
