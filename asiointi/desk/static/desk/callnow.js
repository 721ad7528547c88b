/* The experts' call-now queue rings when a new customer starts waiting: a visual alert, an
   assertive announcement for screen readers, and a short sound unless muted (the mute button's
   choice is kept in this browser). The list itself is reloaded by htmx (polling, or a live event
   from desk.js); this script only compares the calls before and after each reload. */
(function () {
  "use strict";
  var MUTE_KEY = "asiointi.callnow.muted";

  function callIds() {
    var ids = {};
    document.querySelectorAll("#callnow-queue [data-call]").forEach(function (item) {
      ids[item.getAttribute("data-call")] = true;
    });
    return ids;
  }

  function muted() {
    try {
      return window.localStorage.getItem(MUTE_KEY) === "1";
    } catch (error) {
      return false;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var ring = document.querySelector("[data-ring]");
    var announce = document.querySelector("[data-ring-announce]");
    var mute = document.querySelector("[data-ring-mute]");
    if (!ring || !announce) return;
    var known = callIds();
    var sound = null;
    if (mute) {
      mute.hidden = false;
      mute.setAttribute("aria-pressed", muted() ? "true" : "false");
      mute.addEventListener("click", function () {
        var now = !muted();
        try {
          window.localStorage.setItem(MUTE_KEY, now ? "1" : "0");
        } catch (error) {
          /* private mode: the choice lasts for this page only */
        }
        mute.setAttribute("aria-pressed", now ? "true" : "false");
      });
      if (window.Audio) sound = new window.Audio(mute.getAttribute("data-sound"));
    }

    function rings() {
      ring.hidden = false;
      document.body.setAttribute("data-ringing", "on");
      // Emptied first, so that the same words are announced again for the next call.
      announce.textContent = "";
      window.setTimeout(function () {
        announce.textContent = announce.getAttribute("data-ring-text");
      }, 50);
      if (sound && !muted()) {
        sound.currentTime = 0;
        var playing = sound.play();
        if (playing && playing.catch) playing.catch(function () {});
      }
      window.setTimeout(function () {
        ring.hidden = true;
        document.body.removeAttribute("data-ringing");
      }, 15000);
    }

    document.body.addEventListener("htmx:afterSwap", function () {
      var now = callIds();
      var fresh = Object.keys(now).some(function (id) {
        return !known[id];
      });
      known = now;
      if (fresh) rings();
    });
  });
})();
