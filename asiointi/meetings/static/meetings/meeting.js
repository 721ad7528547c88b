/* A remote meeting in the browser: WebRTC browser-to-browser (a mesh of up to four), signalled over the
 * room's WebSocket (asiointi/meetings/consumers.py). Used by the staff's meeting page and by the booth's
 * kiosk, which joins by itself at the meeting's start and opens the feedback questions after it ends.
 * No inline script: the configuration, with the messages translated by the page (by their English
 * text), is a JSON script element (#meeting-config). */
(function () {
  "use strict";

  var configElement = document.getElementById("meeting-config");
  var root = document.getElementById("meeting");
  if (!configElement || !root) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var strings = config.strings || {};
  function t(text) {
    return strings[text] || text;
  }
  var isKiosk = root.classList.contains("meeting--kiosk");
  var token = config.token || root.getAttribute("data-token");
  var statusElement = document.getElementById("meeting-status");
  var qualityElement = document.getElementById("meeting-quality");
  var videos = document.getElementById("videos");
  var participantsList = document.getElementById("participants");
  var chatLog = document.getElementById("chat-log");
  var chatForm = document.getElementById("chat-form");

  var socket = null;
  var localStream = null;
  var screenTrack = null;
  var me = null;
  var peers = {}; // participant id -> {pc, video, figure, pending: []}
  var closedOnPurpose = false;
  var joined = false;

  function say(text) {
    if (statusElement) {
      statusElement.textContent = text;
    }
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
    }
  }

  function media() {
    if (localStream) {
      return Promise.resolve(localStream);
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.resolve(null);
    }
    return navigator.mediaDevices.getUserMedia({ audio: true, video: true }).then(function (stream) {
      localStream = stream;
      document.getElementById("local-video").srcObject = stream;
      return stream;
    }).catch(function () {
      say(t("The camera or the microphone cannot be used. Check the browser's permissions."));
      return null;
    });
  }

  // --- peers ---------------------------------------------------------------------------------------

  function peer(id, name) {
    if (peers[id]) {
      return peers[id];
    }
    var pc = new RTCPeerConnection({ iceServers: config.iceServers || [] });
    var figure = document.createElement("figure");
    figure.className = "meeting__video";
    var video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("data-participant", String(id));
    var caption = document.createElement("figcaption");
    caption.textContent = name || "";
    figure.appendChild(video);
    figure.appendChild(caption);
    videos.appendChild(figure);
    var entry = { pc: pc, video: video, figure: figure, pending: [] };
    peers[id] = entry;
    if (localStream) {
      localStream.getTracks().forEach(function (track) { pc.addTrack(track, localStream); });
    }
    pc.ontrack = function (event) {
      if (video.srcObject !== event.streams[0]) {
        video.srcObject = event.streams[0];
      }
    };
    pc.onicecandidate = function (event) {
      if (event.candidate) {
        send({ type: "signal", to: id, data: { candidate: event.candidate.toJSON() } });
      }
    };
    return entry;
  }

  function dropPeer(id) {
    var entry = peers[id];
    if (!entry) {
      return;
    }
    entry.pc.close();
    entry.figure.remove();
    delete peers[id];
  }

  function offerTo(id, name) {
    var entry = peer(id, name);
    entry.pc.createOffer().then(function (offer) {
      return entry.pc.setLocalDescription(offer);
    }).then(function () {
      send({ type: "signal", to: id, data: { sdp: entry.pc.localDescription.toJSON() } });
    });
  }

  function onSignal(from, data) {
    var entry = peer(from, "");
    var pc = entry.pc;
    if (data.sdp) {
      pc.setRemoteDescription(data.sdp).then(function () {
        entry.pending.forEach(function (c) { pc.addIceCandidate(c); });
        entry.pending = [];
        if (data.sdp.type === "offer") {
          return pc.createAnswer().then(function (answer) {
            return pc.setLocalDescription(answer);
          }).then(function () {
            send({ type: "signal", to: from, data: { sdp: pc.localDescription.toJSON() } });
          });
        }
        return null;
      });
    } else if (data.candidate) {
      if (pc.remoteDescription) {
        pc.addIceCandidate(data.candidate);
      } else {
        entry.pending.push(data.candidate);
      }
    }
  }

  // --- the room's state ----------------------------------------------------------------------------

  var stateNames = {
    invited: t("not joined"),
    waiting: t("waiting to be let in"),
    admitted: t("in the meeting"),
    removed: t("removed"),
    left: t("left")
  };

  function actionButton(label, handler) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "hds-button hds-button--secondary hds-button--small";
    button.textContent = label;
    button.addEventListener("click", handler);
    return button;
  }

  function renderParticipants(list) {
    if (!participantsList) {
      return;
    }
    var expert = participantsList.getAttribute("data-expert") === "1" && me && me.state === "admitted";
    participantsList.textContent = "";
    list.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = interpolate(t("%(name)s: %(state)s"), { name: p.name, state: stateNames[p.state] || p.state }) + " ";
      if (expert && p.state === "waiting") {
        item.appendChild(actionButton(interpolate(t("Let %(name)s in"), { name: p.name }), function () {
          send({ type: "admit", participant: p.id });
        }));
      }
      if (expert && (p.state === "admitted" || p.state === "waiting")) {
        item.appendChild(actionButton(interpolate(t("Remove %(name)s"), { name: p.name }), function () {
          send({ type: "remove", participant: p.id });
        }));
      }
      participantsList.appendChild(item);
    });
  }

  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function onState(state) {
    me = state.you;
    if (me.state === "waiting") {
      say(t("Please wait: the expert will let you in to the meeting soon."));
    } else if (me.state === "admitted") {
      say(t("You are in the meeting."));
    }
    renderParticipants(state.participants);
    var inMeeting = {};
    state.participants.forEach(function (p) {
      if (p.state === "admitted" && me.state === "admitted") {
        inMeeting[p.id] = true;
        // The one with the smaller id makes the offer; the other answers.
        if (!peers[p.id] && me.id < p.id) {
          offerTo(p.id, p.name);
        } else if (peers[p.id]) {
          peers[p.id].figure.querySelector("figcaption").textContent = p.name;
        }
      }
    });
    Object.keys(peers).forEach(function (id) {
      if (!inMeeting[id]) {
        dropPeer(Number(id));
      }
    });
  }

  function addChat(name, text) {
    if (!chatLog) {
      return;
    }
    var item = document.createElement("li");
    var who = document.createElement("strong");
    who.textContent = name + ": ";
    item.appendChild(who);
    item.appendChild(document.createTextNode(text));
    chatLog.appendChild(item);
  }

  function finish(message) {
    closedOnPurpose = true;
    Object.keys(peers).forEach(function (id) { dropPeer(Number(id)); });
    if (localStream) {
      localStream.getTracks().forEach(function (track) { track.stop(); });
    }
    say(message);
    if (isKiosk && config.feedback) {
      window.location.assign(config.feedback);
    }
  }

  function connect() {
    if (joined) {
      return;
    }
    joined = true;
    say(t("Connecting to the meeting…"));
    media().then(function () {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var url = scheme + window.location.host + config.socket + "?join=" + encodeURIComponent(token);
      socket = new WebSocket(url);
      socket.onmessage = function (event) {
        var message = JSON.parse(event.data);
        if (message.type === "state") {
          onState(message);
        } else if (message.type === "signal") {
          onSignal(message.from, message.data);
        } else if (message.type === "chat") {
          addChat(message.name, message.text);
        } else if (message.type === "ended") {
          finish(t("The meeting has ended."));
        } else if (message.type === "removed") {
          finish(t("You have been removed from the meeting."));
        }
      };
      socket.onclose = function () {
        if (!closedOnPurpose) {
          joined = false;
          say(t("The connection to the meeting was lost. Trying again…"));
          window.setTimeout(connect, 3000);
        }
      };
    });
  }

  // --- controls ------------------------------------------------------------------------------------

  function toggle(buttonId, kind, onLabel, offLabel) {
    var button = document.getElementById(buttonId);
    if (!button) {
      return;
    }
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? onLabel : offLabel;
      if (localStream) {
        localStream.getTracks().forEach(function (track) {
          if (track.kind === kind) {
            track.enabled = on;
          }
        });
      }
    });
  }
  toggle("toggle-camera", "video", t("Camera on"), t("Camera off"));
  toggle("toggle-microphone", "audio", t("Microphone on"), t("Microphone off"));

  function replaceVideo(track) {
    Object.keys(peers).forEach(function (id) {
      peers[id].pc.getSenders().forEach(function (sender) {
        if (sender.track && sender.track.kind === "video") {
          sender.replaceTrack(track);
        }
      });
    });
  }

  var shareButton = document.getElementById("share-screen");
  if (shareButton) {
    shareButton.addEventListener("click", function () {
      if (screenTrack) {
        screenTrack.stop();
        return;
      }
      if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) {
        say(t("This browser cannot share the screen."));
        return;
      }
      navigator.mediaDevices.getDisplayMedia({ video: true }).then(function (stream) {
        screenTrack = stream.getVideoTracks()[0];
        replaceVideo(screenTrack);
        shareButton.textContent = t("Stop sharing the screen");
        screenTrack.onended = function () {
          screenTrack = null;
          shareButton.textContent = t("Share screen");
          if (localStream) {
            replaceVideo(localStream.getVideoTracks()[0]);
          }
        };
      }).catch(function () { /* the person cancelled */ });
    });
  }

  var endButton = document.getElementById("end-meeting");
  if (endButton) {
    endButton.addEventListener("click", function () {
      if (window.confirm(t("End the meeting for everyone?"))) {
        send({ type: "end" });
      }
    });
  }

  if (chatForm) {
    chatForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("chat-text");
      var text = input.value.trim();
      if (text) {
        send({ type: "chat", text: text });
        input.value = "";
      }
    });
  }

  // --- connection quality from getStats() ----------------------------------------------------------

  function quality() {
    var ids = Object.keys(peers);
    if (!qualityElement || ids.length === 0) {
      if (qualityElement) {
        qualityElement.textContent = "";
      }
      return;
    }
    var lost = 0;
    var received = 0;
    var rtt = 0;
    Promise.all(ids.map(function (id) { return peers[id].pc.getStats(); })).then(function (reports) {
      reports.forEach(function (report) {
        report.forEach(function (stat) {
          if (stat.type === "inbound-rtp" && stat.kind === "video") {
            lost += stat.packetsLost || 0;
            received += stat.packetsReceived || 0;
          }
          if (stat.type === "candidate-pair" && stat.nominated && stat.currentRoundTripTime) {
            rtt = Math.max(rtt, stat.currentRoundTripTime);
          }
        });
      });
      var lossShare = received + lost > 0 ? lost / (received + lost) : 0;
      var label = t("Connection: good");
      if (lossShare > 0.1 || rtt > 0.5) {
        label = t("Connection: poor");
      } else if (lossShare > 0.03 || rtt > 0.25) {
        label = t("Connection: fair");
      }
      qualityElement.textContent = label;
    });
  }
  window.setInterval(quality, 5000);

  // --- joining -------------------------------------------------------------------------------------

  if (isKiosk) {
    var joinButton = document.getElementById("join-now");
    if (joinButton) {
      joinButton.addEventListener("click", connect);
    }
    var startsAt = Date.parse(config.startsAt);
    var wait = Math.max(0, startsAt - Date.now());
    // The booth joins by itself at the start (a timer longer than a day is not needed on a kiosk).
    window.setTimeout(connect, Math.min(wait, 86400000));
  } else {
    connect();
  }
})();
