/* A remote meeting in the browser: WebRTC through the room's Janus videoroom when the page says so
 * (config.video.route "janus", with janus-media.js loaded on demand), else browser-to-browser (a mesh of
 * up to four), signalled over the room's WebSocket (asiointi/meetings/consumers.py). When this browser
 * cannot reach Janus during setup, it tells the server, and the whole room goes browser to browser (the
 * room's state says "mesh" and "fallback"; the expert's screen says so). The booth sends its second
 * camera (the document camera) as a second video; the others show it as a second video that can be
 * enlarged. "Share screen" sends the screen in place of the camera by replaceTrack() on the camera's
 * senders, the same for both routes (the Janus publisher's connection, or each browser's); the camera
 * comes back when the share ends. The connection's quality comes from getStats() of the same connections.
 * Used by the staff's meeting page and by the booth's
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

  var video = config.video || { route: "mesh" };
  var noticeElement = document.getElementById("meeting-video-notice");
  var isExpert = config.kind === "expert";
  // How long this browser tries to join the Janus room before the meeting goes browser to browser.
  var JANUS_SETUP_MS = 8000;

  var socket = null;
  var localStream = null;
  var documentStream = null; // the booth's second camera
  var screenTrack = null;
  var me = null;
  var peers = {}; // participant id -> {pc, video, figure, pending: [], streams: []}
  var closedOnPurpose = false;
  var joined = false;
  var mode = null; // "janus" or "mesh", decided when this participant is first in the meeting
  var janusCall = null;
  var janusFigures = {}; // Janus feed -> {figure, video}
  var janusClones = []; // {original, clone}: the tracks sent to Janus
  var lastState = null;
  var names = {};

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
      return isKiosk ? documentCamera(stream) : null;
    }).then(function () {
      return localStream;
    }).catch(function () {
      say(t("The camera or the microphone cannot be used. Check the browser's permissions."));
      return localStream;
    });
  }

  // The booth's document camera: the video input chosen in the booth's settings (kept in this
  // browser), else the first one that is not the face camera. None when the booth has one camera.
  var DOCUMENT_CAMERA_KEY = "asiointi.documentCamera";

  function chosenDocumentCamera() {
    try {
      return window.localStorage.getItem(DOCUMENT_CAMERA_KEY) || "";
    } catch (error) {
      return "";
    }
  }

  function documentCamera(stream) {
    if (!navigator.mediaDevices.enumerateDevices) {
      return null;
    }
    var face = stream.getVideoTracks()[0];
    var faceId = face && face.getSettings ? face.getSettings().deviceId : "";
    return navigator.mediaDevices.enumerateDevices().then(function (devices) {
      var inputs = devices.filter(function (d) { return d.kind === "videoinput" && d.deviceId !== faceId; });
      fillCameraChoice(devices.filter(function (d) { return d.kind === "videoinput"; }));
      var chosen = chosenDocumentCamera();
      if (chosen === "none") {
        return null;
      }
      var device = inputs.filter(function (d) { return d.deviceId === chosen; })[0] || inputs[0];
      if (!device) {
        return null;
      }
      return navigator.mediaDevices.getUserMedia({ audio: false, video: { deviceId: { exact: device.deviceId } } });
    }).then(function (second) {
      if (second) {
        documentStream = second;
        var preview = document.getElementById("document-video");
        if (preview) {
          preview.srcObject = second;
          preview.closest("figure").hidden = false;
        }
      }
      return null;
    }).catch(function () {
      return null; // the meeting goes on with the face camera only
    });
  }

  function fillCameraChoice(inputs) {
    var select = document.getElementById("document-camera");
    if (!select || select.options.length > 2) {
      return;
    }
    var chosen = chosenDocumentCamera();
    inputs.forEach(function (d, index) {
      var option = document.createElement("option");
      option.value = d.deviceId;
      option.textContent = d.label || interpolate(t("Camera %(number)s"), { number: String(index + 1) });
      option.selected = d.deviceId === chosen;
      select.appendChild(option);
    });
  }

  var cameraSelect = document.getElementById("document-camera");
  if (cameraSelect) {
    cameraSelect.addEventListener("change", function () {
      try {
        window.localStorage.setItem(DOCUMENT_CAMERA_KEY, cameraSelect.value);
      } catch (error) { /* private mode: the second device found is used */ }
    });
  }

  // Every track this browser sends: the face camera and microphone, then the document camera.
  function sentTracks() {
    var tracks = [];
    if (localStream) {
      localStream.getTracks().forEach(function (track) { tracks.push({ track: track, stream: localStream }); });
    }
    if (documentStream) {
      documentStream.getVideoTracks().forEach(function (track) { tracks.push({ track: track, stream: documentStream }); });
    }
    return tracks;
  }

  // --- remote videos ---------------------------------------------------------------------------------

  function remoteFigure(key, name) {
    var figure = document.createElement("figure");
    figure.className = "meeting__video";
    var element = document.createElement("video");
    element.autoplay = true;
    element.playsInline = true;
    element.setAttribute("data-participant", String(key));
    var caption = document.createElement("figcaption");
    caption.textContent = name || "";
    figure.appendChild(element);
    figure.appendChild(caption);
    videos.appendChild(figure);
    return { figure: figure, video: element, caption: caption };
  }

  // The second video of a participant (the booth's document camera), with a button that enlarges it.
  function documentFigure(owner, name) {
    if (owner.documentFigure) {
      return owner.documentFigure;
    }
    var made = remoteFigure(owner.key, "");
    made.figure.classList.add("meeting__video--document");
    made.video.setAttribute("data-document", "1");
    made.caption.textContent = interpolate(t("Document camera of %(name)s"), { name: name || "" });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "hds-button hds-button--secondary hds-button--small meeting__enlarge";
    button.setAttribute("aria-pressed", "false");
    button.textContent = t("Enlarge the document camera");
    button.addEventListener("click", function () {
      var large = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", large ? "true" : "false");
      made.figure.classList.toggle("meeting__video--large", large);
    });
    made.figure.appendChild(button);
    owner.documentFigure = made;
    return made;
  }

  // Shows a participant's incoming media: the first video (with the sound) in their own figure, a second
  // video as their document camera.
  function showRemote(owner, stream, name) {
    var videosOf = stream.getVideoTracks();
    var main = new MediaStream(stream.getAudioTracks().concat(videosOf.slice(0, 1)));
    if (!owner.mainStream || owner.mainStream.getTracks().map(function (x) { return x.id; }).join() !==
        main.getTracks().map(function (x) { return x.id; }).join()) {
      owner.mainStream = main;
      owner.video.srcObject = main;
    }
    if (videosOf.length > 1) {
      var doc = documentFigure(owner, name);
      if (!doc.video.srcObject || doc.video.srcObject.getVideoTracks()[0] !== videosOf[1]) {
        doc.video.srcObject = new MediaStream([videosOf[1]]);
      }
    } else if (owner.documentFigure) {
      owner.documentFigure.figure.remove();
      owner.documentFigure = null;
    }
  }

  function dropFigures(owner) {
    owner.figure.remove();
    if (owner.documentFigure) {
      owner.documentFigure.figure.remove();
    }
  }

  // --- peers ---------------------------------------------------------------------------------------

  function peer(id, name) {
    if (peers[id]) {
      return peers[id];
    }
    var pc = new RTCPeerConnection({ iceServers: config.iceServers || [] });
    var made = remoteFigure(id, name);
    var entry = { key: id, pc: pc, video: made.video, figure: made.figure, pending: [], incoming: new MediaStream() };
    peers[id] = entry;
    sentTracks().forEach(function (sent) { pc.addTrack(sent.track, sent.stream); });
    if (screenTrack) {
      cameraSenders(pc).forEach(function (sender) {
        sender.replaceTrack(screenTrack).catch(function () { /* the connection closed meanwhile */ });
      });
    }
    pc.ontrack = function (event) {
      // Tracks arrive in the order they were added: the camera and microphone, then the document camera.
      if (entry.incoming.getTracks().indexOf(event.track) < 0) {
        entry.incoming.addTrack(event.track);
      }
      showRemote(entry, entry.incoming, names[id] || "");
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
    dropFigures(entry);
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

  function showFallback(state) {
    if (noticeElement && isExpert && state.room.fallback && !noticeElement.textContent) {
      noticeElement.textContent = t("The video server cannot be reached: the video goes directly between the browsers.");
    }
  }

  function onState(state) {
    lastState = state;
    me = state.you;
    if (me.state === "waiting") {
      say(t("Please wait: the expert will let you in to the meeting soon."));
    } else if (me.state === "admitted") {
      say(t("You are in the meeting."));
    }
    state.participants.forEach(function (p) { names[p.id] = p.name; });
    renderParticipants(state.participants);
    showFallback(state);
    if (me.state !== "admitted") {
      return;
    }
    if (mode === null) {
      if (video.route === "janus" && state.room.video === "janus") {
        janusStart();
        return;
      }
      mode = "mesh";
    } else if (mode === "janus" && state.room.video !== "janus") {
      mode = "mesh";
      janusStop();
    }
    if (mode === "janus") {
      Object.keys(janusFigures).forEach(function (feed) { captionJanus(janusFigures[feed]); });
      return;
    }
    meshState(state);
  }

  function meshState(state) {
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

  // --- through Janus -----------------------------------------------------------------------------------

  // Janus names a participant by the display this page publishes: "<participant id>" (names come from the
  // room's state, so no name travels through Janus).
  function captionJanus(entry) {
    var name = names[entry.participant] || "";
    entry.caption.textContent = name;
    if (entry.documentFigure) {
      entry.documentFigure.caption.textContent = interpolate(t("Document camera of %(name)s"), { name: name });
    }
  }

  function janusFigure(feed, display) {
    if (!janusFigures[feed]) {
      var made = remoteFigure(display, "");
      janusFigures[feed] = { key: display, participant: Number(display), figure: made.figure, video: made.video, caption: made.caption };
      captionJanus(janusFigures[feed]);
    }
    return janusFigures[feed];
  }

  function janusFallback(reason) {
    if (mode !== "janus") {
      return;
    }
    mode = "mesh";
    janusStop();
    send({ type: "video_fallback", reason: String(reason || "").slice(0, 200) });
    if (lastState) {
      meshState(lastState);
    }
  }

  function janusStop() {
    if (janusCall) {
      try {
        janusCall.leave();
      } catch (error) { /* Janus is gone already */ }
      janusCall = null;
    }
    Object.keys(janusFigures).forEach(function (feed) { dropFigures(janusFigures[feed]); });
    janusFigures = {};
    janusClones.forEach(function (pair) { pair.clone.stop(); });
    janusClones = [];
  }

  function janusStart() {
    mode = "janus";
    // Janus gets copies of the tracks: janus.js stops the tracks it sent when it hangs up, and the
    // originals must live on for a browser-to-browser fallback.
    janusClones = sentTracks().map(function (sent) {
      var clone = sent.track.clone();
      clone.enabled = sent.track.enabled;
      return { original: sent.track, clone: clone };
    });
    var published = new MediaStream(janusClones.map(function (pair) { return pair.clone; }));
    var settled = false;
    var timer = window.setTimeout(function () {
      if (!settled) {
        settled = true;
        janusFallback("timeout");
      }
    }, JANUS_SETUP_MS);
    import(video.module).then(function (module) {
      return module.joinJanusRoom({
        server: video.server,
        room: video.room,
        pin: video.pin,
        display: String(config.id),
        localStream: published,
        iceServers: config.iceServers || [],
        onRemoteStream: function (remote) {
          var entry = janusFigure(remote.feed, remote.display);
          showRemote(entry, remote.stream, names[entry.participant] || "");
        },
        onRemoteStreamEnded: function (remote) {
          if (janusFigures[remote.feed]) {
            dropFigures(janusFigures[remote.feed]);
            delete janusFigures[remote.feed];
          }
        },
        onError: function (error) {
          settled = true;
          window.clearTimeout(timer);
          janusFallback(error && error.message);
        },
        onPublished: function () {
          // The media is up: from now on only an error makes the meeting go browser to browser.
          settled = true;
          window.clearTimeout(timer);
          if (screenTrack) {
            sendVideo(screenTrack); // the screen shared while the media was being set up
          }
        }
      });
    }).then(function (call) {
      if (mode !== "janus") {
        call.leave(); // too late: the meeting went browser to browser meanwhile
        return;
      }
      janusCall = call;
    }).catch(function (error) {
      if (!settled) {
        settled = true;
        window.clearTimeout(timer);
        janusFallback(error && error.message);
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
    mode = "ended";
    janusStop();
    sentTracks().forEach(function (sent) { sent.track.stop(); });
    if (screenTrack) {
      screenTrack.onended = null;
      screenTrack.stop();
      screenTrack = null;
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
      janusClones.forEach(function (pair) { pair.clone.enabled = pair.original.enabled; });
    });
  }
  toggle("toggle-camera", "video", t("Camera on"), t("Camera off"));
  toggle("toggle-microphone", "audio", t("Microphone on"), t("Microphone off"));

  // --- sharing the screen: one path for both routes -------------------------------------------------

  // The connections this browser has in the meeting: through Janus, its publisher's and its subscriber's
  // (from janus-media.js); browser to browser, one per other participant.
  function connections() {
    if (mode === "janus") {
      var pcs = janusCall && janusCall.peerConnections ? janusCall.peerConnections() : {};
      return [pcs.publisher, pcs.subscriber].filter(Boolean);
    }
    return Object.keys(peers).map(function (id) { return peers[id].pc; });
  }

  function isDocumentTrack(track) {
    if (documentStream && documentStream.getVideoTracks().indexOf(track) >= 0) {
      return true;
    }
    return janusClones.some(function (pair) { return pair.clone === track && documentStream && documentStream.getVideoTracks().indexOf(pair.original) >= 0; });
  }

  // The senders of a connection that carry this browser's camera (or the screen in its place): its video
  // senders but the document camera's.
  function cameraSenders(pc) {
    return pc.getSenders().filter(function (sender) {
      return sender.track ? sender.track.kind === "video" && !isDocumentTrack(sender.track) : false;
    });
  }

  // The camera's track as this route sends it: through Janus its copy (janusStart), else the original.
  function cameraTrack() {
    var original = localStream ? localStream.getVideoTracks()[0] : null;
    if (mode === "janus") {
      var pair = janusClones.filter(function (p) { return p.original === original; })[0];
      return pair ? pair.clone : original;
    }
    return original;
  }

  // Sends ``track`` in place of the camera on every connection: the others' browsers (mesh) or the Janus
  // publisher (Janus forwards it to every subscriber). No new offer: replaceTrack keeps the negotiation.
  function sendVideo(track) {
    connections().forEach(function (pc) {
      cameraSenders(pc).forEach(function (sender) {
        if (sender.track !== track) {
          sender.replaceTrack(track).catch(function () { /* the connection closed meanwhile */ });
        }
      });
    });
  }

  var shareButton = document.getElementById("share-screen");

  function shareEnded() {
    screenTrack = null;
    var camera = cameraTrack();
    if (camera) {
      sendVideo(camera);
    }
    if (shareButton) {
      shareButton.textContent = t("Share screen");
    }
    say(t("Screen sharing ended: the others see your camera again."));
  }

  if (shareButton) {
    shareButton.addEventListener("click", function () {
      if (screenTrack) {
        // Stopping a track fires no "ended" event: end the share here as the browser's own button does.
        screenTrack.onended = null;
        screenTrack.stop();
        shareEnded();
        return;
      }
      if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) {
        say(t("This browser cannot share the screen."));
        return;
      }
      navigator.mediaDevices.getDisplayMedia({ video: true }).then(function (stream) {
        screenTrack = stream.getVideoTracks()[0];
        // The browser's own "Stop sharing" ends the track: the camera comes back.
        screenTrack.onended = shareEnded;
        sendVideo(screenTrack);
        shareButton.textContent = t("Stop sharing the screen");
        say(t("You are sharing your screen: the others see it in place of your camera."));
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

  // Through Janus the publisher's connection (the round trip) and the subscriber's (what arrives), else
  // every browser-to-browser connection: lost share of the incoming video's packets and the round trip of
  // the nominated candidate pair give good, fair or poor. The live region changes only when the label does.
  function quality() {
    var pcs = connections();
    if (!qualityElement) {
      return;
    }
    if (pcs.length === 0) {
      qualityElement.textContent = "";
      return;
    }
    var lost = 0;
    var received = 0;
    var rtt = 0;
    Promise.all(pcs.map(function (pc) {
      return pc.getStats().catch(function () { return new Map(); });
    })).then(function (reports) {
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
      if (qualityElement.textContent !== label) {
        qualityElement.textContent = label;
      }
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
