/* The booth's idle screen looks again for a meeting every data-look-again-seconds (a call now that an
 * expert took opens on the screen by itself), and the feedback questions go back to the idle kiosk
 * screen by themselves when nobody answers (data-idle-seconds on the form; the timer starts again on
 * every touch or key). */
(function () {
  "use strict";
  var idle = document.getElementById("kiosk-idle");
  var every = idle ? Number(idle.getAttribute("data-look-again-seconds")) : 0;
  if (every > 0) {
    window.setTimeout(function () {
      window.location.reload();
    }, every * 1000);
  }
})();

(function () {
  "use strict";
  var form = document.querySelector("form[data-idle-url]");
  if (!form) {
    return;
  }
  var seconds = Number(form.getAttribute("data-idle-seconds")) || 120;
  var timer = null;
  function restart() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      window.location.assign(form.getAttribute("data-idle-url"));
    }, seconds * 1000);
  }
  ["pointerdown", "keydown", "change"].forEach(function (name) {
    document.addEventListener(name, restart);
  });
  restart();
})();
