// A meeting's media through a Janus videoroom (docs/video.md), for the meeting page to use instead of the
// browser-to-browser mesh when the backend chose Janus for the room. Built on janus.js (vendored, MIT).
//
//   import { joinJanusRoom } from ".../meetings/janus-media.js";
//   const call = await joinJanusRoom({ server, room, pin, display, localStream, onRemoteStream,
//                                      onRemoteStreamEnded, iceServers });
//   call.peerConnections();   // { publisher, subscriber }: RTCPeerConnections, null until made
//   call.leave();
//
// `server` is JANUS_PUBLIC_URL (ws(s)://... or http(s)://.../janus); `room` and `pin` are the room's own,
// from the page (never the room's secret). Every published track of `localStream` is sent once; every other
// participant's tracks arrive through one subscriber connection and are handed to `onRemoteStream({ feed,
// display, stream })`, one MediaStream per participant (called again when a track joins it).
// `onRemoteStreamEnded({ feed })` follows when a participant leaves or is removed. `onPublished()` is called
// once this browser's media reaches Janus (its connection is up); `onError(error)` after joining, when the
// media cannot be sent or received (Janus refused the offer, the connection closed). Resolves once this
// browser has joined (before the media flows); rejects with an Error whose `code` is Janus's (433: wrong
// pin) when joining fails. `call.peerConnections()` gives the publisher's and the subscriber's
// RTCPeerConnection (null until made): the page reads their getStats() for the connection's quality and
// swaps the published camera for a shared screen with the publisher's sender's replaceTrack() (Janus
// forwards the new track's packets without a new offer).
import Janus from "./vendor/janus-gateway-1.1.4/janus.es.js";

const PLUGIN = "janus.plugin.videoroom";

// janus.js asks webrtc-adapter which browser this is; modern browsers need none of adapter's shims, so the
// answer is read from the user agent instead of loading adapter.
function browserDetails() {
  const agent = navigator.userAgent;
  let match = agent.match(/Firefox\/(\d+)/);
  if (match) return { browser: "firefox", version: Number(match[1]) };
  match = agent.match(/Chrom(?:e|ium)\/(\d+)/);
  if (match) return { browser: "chrome", version: Number(match[1]) };
  match = agent.match(/Version\/(\d+).*Safari/);
  if (match) return { browser: "safari", version: Number(match[1]) };
  return { browser: "chrome", version: 0 };
}

let ready = null;
function janusReady() {
  if (!ready) {
    ready = new Promise((resolve) => {
      Janus.init({
        debug: false,
        dependencies: Janus.useDefaultDependencies({ adapter: { browserDetails: browserDetails() } }),
        callback: resolve,
      });
    });
  }
  return ready;
}

function janusError(message, code) {
  const error = new Error(message);
  error.code = code || 0;
  return error;
}

export async function joinJanusRoom({
  server,
  room,
  pin,
  display,
  localStream,
  onRemoteStream = () => {},
  onRemoteStreamEnded = () => {},
  onError = () => {},
  onPublished = () => {},
  iceServers = [],
}) {
  await janusReady();
  return new Promise((resolve, reject) => {
    let joined = false;
    let publisher = null;
    let subscriber = null;
    let myId = null;
    let privateId = null;
    const subscribed = new Set(); // feeds asked for
    const feedOfMid = new Map(); // the subscriber connection's mid -> { feed, display }
    const streams = new Map(); // feed -> MediaStream

    function fail(error) {
      if (!joined) reject(error);
      else onError(error);
    }

    const session = new Janus({
      server,
      iceServers,
      success: attachPublisher,
      error: (cause) => fail(janusError(`Janus cannot be reached: ${cause}`)),
    });

    const call = {
      get participantId() {
        return myId;
      },
      peerConnections() {
        const pcOf = (handle) => (handle && handle.webrtcStuff && handle.webrtcStuff.pc) || null;
        return { publisher: pcOf(publisher), subscriber: pcOf(subscriber) };
      },
      leave() {
        for (const feed of [...streams.keys()]) endFeed(feed);
        session.destroy({ cleanupHandles: true });
      },
    };

    function endFeed(feed) {
      const stream = streams.get(feed);
      if (!stream) return;
      streams.delete(feed);
      subscribed.delete(feed);
      onRemoteStreamEnded({ feed, stream });
    }

    function attachPublisher() {
      session.attach({
        plugin: PLUGIN,
        success(handle) {
          publisher = handle;
          publisher.send({ message: { request: "join", ptype: "publisher", room, pin, display } });
        },
        error: (cause) => fail(janusError(`The video room cannot be opened: ${cause}`)),
        webrtcState(on, reason) {
          if (on) onPublished();
          else fail(janusError(`The video connection closed: ${reason || ""}`));
        },
        onmessage(message, jsep) {
          if (message.error_code) {
            fail(janusError(message.error, message.error_code));
            return;
          }
          if (message.videoroom === "joined") {
            myId = message.id;
            privateId = message.private_id;
            joined = true;
            publish();
            subscribe(message.publishers || []);
            resolve(call);
          } else if (message.videoroom === "event") {
            if (message.publishers) subscribe(message.publishers);
            const gone = message.unpublished || message.leaving || message.kicked;
            if (gone === "ok") {
              // This browser was removed from the room.
              call.leave();
            } else if (gone) {
              endFeed(gone);
            }
          }
          if (jsep) publisher.handleRemoteJsep({ jsep });
        },
      });
    }

    function publish() {
      const tracks = localStream.getTracks().map((track) => ({ type: track.kind, capture: track, recv: false }));
      publisher.createOffer({
        tracks,
        success(jsep) {
          publisher.send({
            message: { request: "publish", display },
            jsep,
            error: (cause) => fail(janusError(`Janus refused the camera's video: ${cause}`)),
          });
        },
        error: (cause) => fail(janusError(`The camera's video cannot be sent: ${cause}`)),
      });
    }

    function subscribe(publishers) {
      const wanted = [];
      for (const participant of publishers) {
        if (participant.id === myId || subscribed.has(participant.id) || participant.dummy) continue;
        subscribed.add(participant.id);
        for (const stream of participant.streams || []) {
          if (!stream.disabled) wanted.push({ feed: participant.id, mid: stream.mid });
        }
      }
      if (!wanted.length) return;
      if (subscriber) {
        subscriber.send({ message: { request: "subscribe", streams: wanted } });
        return;
      }
      session.attach({
        plugin: PLUGIN,
        success(handle) {
          subscriber = handle;
          subscriber.send({
            message: { request: "join", ptype: "subscriber", room, pin, private_id: privateId, streams: wanted },
          });
        },
        error: (cause) => fail(janusError(`The others' video cannot be received: ${cause}`)),
        onmessage(message, jsep) {
          if (message.error_code) {
            fail(janusError(message.error, message.error_code));
            return;
          }
          for (const stream of message.streams || []) {
            if (stream.mid !== undefined && stream.feed_id !== undefined) {
              feedOfMid.set(stream.mid, { feed: stream.feed_id, display: stream.feed_display || "" });
            }
          }
          if (jsep) {
            subscriber.createAnswer({
              jsep,
              tracks: [{ type: "data" }],
              success(answer) {
                subscriber.send({ message: { request: "start", room }, jsep: answer });
              },
              error: (cause) => fail(janusError(`The others' video cannot be received: ${cause}`)),
            });
          }
        },
        onremotetrack(track, mid, on) {
          const origin = feedOfMid.get(mid);
          if (!origin) return;
          let stream = streams.get(origin.feed);
          if (on) {
            if (!stream) {
              stream = new MediaStream();
              streams.set(origin.feed, stream);
            }
            if (!stream.getTracks().includes(track)) stream.addTrack(track);
            onRemoteStream({ feed: origin.feed, display: origin.display, stream });
          } else if (stream) {
            stream.removeTrack(track);
            if (!stream.getTracks().length) endFeed(origin.feed);
          }
        },
      });
    }
  });
}
