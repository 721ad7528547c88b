/* The documents panel of a meeting (meetings/includes/documents.html): sends a document without leaving
 * the meeting, shows a document that another participant sent as soon as it arrives (announced in the
 * panel's live region), and "call me by phone instead" on the booth's screen (the expert is told on
 * theirs). Without this script the panel works as plain links and form posts.
 * The panel listens on the room's socket with the participant's own join link (&watch=1: it listens
 * only, the meeting's own socket is meeting.js's). No inline script: the configuration, with the
 * messages translated by the page, is a JSON script element (#meeting-documents-config). */
(function () {
  "use strict";

  var configElement = document.getElementById("meeting-documents-config");
  if (!configElement || !window.fetch) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var strings = config.strings || {};

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) {
      return values[name] === undefined ? match : values[name];
    });
  }

  function panel() {
    return document.getElementById("meeting-documents");
  }

  function say(text) {
    var status = document.getElementById("meeting-documents-status");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
  }

  function alertText(text) {
    var element = document.getElementById("meeting-documents-alert");
    if (element) {
      element.textContent = text;
    }
  }

  function fragment(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    return holder.querySelector("#meeting-documents");
  }

  function keys() {
    var found = {};
    document.querySelectorAll("#meeting-documents-list li[data-key]").forEach(function (item) {
      found[item.getAttribute("data-key")] = true;
    });
    return found;
  }

  /* Replace the list (and, after sending, the form) with the server's; returns the new items. */
  function replaceFrom(fresh, withForm) {
    var before = keys();
    var list = document.getElementById("meeting-documents-list");
    var freshList = fresh && fresh.querySelector("#meeting-documents-list");
    if (list && freshList) {
      list.replaceWith(freshList);
    }
    var form = document.getElementById("meeting-documents-form");
    var freshForm = fresh && fresh.querySelector("#meeting-documents-form");
    if (withForm && form && freshForm) {
      form.replaceWith(freshForm);
      bindForm();
    }
    return Array.prototype.filter.call(
      document.querySelectorAll("#meeting-documents-list li[data-key]"),
      function (item) { return !before[item.getAttribute("data-key")]; }
    );
  }

  function load() {
    return fetch(config.list, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
      .then(function (html) { return replaceFrom(fragment(html), false); });
  }

  function bindForm() {
    var form = document.getElementById("meeting-documents-form");
    if (!form) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
      }
      say(strings.sending);
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "HX-Request": "true" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.text().then(function (html) {
          replaceFrom(fragment(html), true);
          if (response.ok) {
            say(strings.sent);
          } else {
            var summary = document.getElementById("error-summary");
            if (summary) {
              summary.focus();
            }
          }
        });
      }).catch(function () {
        if (button) {
          button.disabled = false;
        }
        alertText(strings.failed);
      });
    });
  }

  function bindPhone() {
    var form = document.getElementById("meeting-phone-form");
    var numbers = document.getElementById("meeting-phone-numbers");
    if (!form || !numbers) {
      return;
    }
    numbers.setAttribute("tabindex", "-1");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      numbers.hidden = false;
      numbers.focus();
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        redirect: "manual"
      }).catch(function () { /* the numbers are shown all the same */ });
    });
  }

  function listen() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + config.socket + "?join=" + encodeURIComponent(config.token) + "&watch=1";
    var socket = new WebSocket(url);
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.sender === config.me) {
        return;
      }
      if (message.type === "document_added") {
        load().then(function (added) {
          added.forEach(function (item) {
            say(format(strings["new"], { name: item.getAttribute("data-name") }));
          });
        });
      } else if (message.type === "phone_chosen") {
        alertText(format(strings.phone, { name: message.name || "" }));
      }
    };
    socket.onclose = function (event) {
      // Refused (4000 and up: the booth's screen before the meeting's time, or a meeting that ended):
      // ask again now and then, as the meeting may open later; a lost connection, again shortly.
      window.setTimeout(listen, event.code >= 4000 ? 30000 : 5000);
    };
  }

  if (panel()) {
    bindForm();
    bindPhone();
    listen();
  }
})();
