// Client helpers for the end-to-end scripts: REST sign-in, a Socket.IO
// client on the /realtime namespace (the official socket.io-client), and a
// native /ws client (the ws package), both with promise-based waits that
// fail after a bounded time instead of hanging the suite.
import { writeFileSync } from "node:fs";
import { io } from "socket.io-client";
import WebSocket from "ws";

/** The server under test, set by the Go test that runs the script. */
export const baseURL = requiredEnv("PROOFSTELL_URL");

/** How long any single wait may take before the test fails. */
export const waitMs = 15_000;

export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this script through its Go test (internal/nodetest)`);
  return value;
}

// Every frame the clients receive (and the native frames they send, which
// give replies their request) is recorded, one JSON object a line, into
// PROOFSTELL_FRAMES_OUT when the script exits; the Go test then checks each
// against docs/asyncapi.yaml (internal/asyncapi.CheckRecording), so the
// frames the official clients saw are held to the document too.
const recording = [];
const recordTo = process.env.PROOFSTELL_FRAMES_OUT;
if (recordTo) process.on("exit", () => writeFileSync(recordTo, recording.map((r) => JSON.stringify(r) + "\n").join("")));

function record(entry) {
  if (recordTo) recording.push(entry);
}

/** rest calls the REST API and returns {status, body} (body parsed when JSON). */
export async function rest(method, path, { token, body } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(baseURL + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  return { status: res.status, body: parsed };
}

/** guest signs a device in as a guest: {accessToken, refreshToken, player}. */
export async function guest(deviceId) {
  const { status, body } = await rest("POST", "/api/v1/auth/guest", { body: { deviceId } });
  if (status !== 200) throw new Error(`guest sign-in ${deviceId}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * connectRealtime opens a Socket.IO connection to the /realtime namespace and
 * resolves once connected; it rejects with the connect_error (whose .data
 * carries the server's {code}) when the server refuses it. Reconnection is
 * off: every test says when it reconnects. options are socket.io-client's,
 * plus url (another node than PROOFSTELL_URL).
 */
export function connectRealtime(token, { url = baseURL, ...options } = {}) {
  const socket = io(`${url}/realtime`, {
    auth: token === undefined ? undefined : { token },
    reconnection: false,
    timeout: waitMs,
    ...options,
  });
  socket.onAny((...args) => record({ kind: "socketio-event", args }));
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      record({ kind: "socketio-connect-error", packet: { message: err.message, data: err.data } });
      socket.close();
      reject(err);
    });
  });
}

/** request emits a client message with an ack and resolves with the ack's argument. */
export async function request(socket, type, payload) {
  const answer = await socket.timeout(waitMs).emitWithAck(type, payload);
  record({ kind: "socketio-ack", request: type, args: [answer] });
  return answer;
}

/**
 * nextEvent resolves with the payload of the next `type` event that
 * satisfies match, or rejects after `within` ms. Register it before the action
 * that causes the event.
 */
export function nextEvent(socket, type, match = () => true, within = waitMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(type, listener);
      reject(new Error(`no ${type} event within ${within} ms`));
    }, within);
    function listener(payload) {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(type, listener);
      resolve(payload);
    }
    socket.on(type, listener);
  });
}

/** disconnected resolves with the client's disconnect reason. */
export function disconnected(socket) {
  if (socket.disconnected) return Promise.resolve("already disconnected");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${waitMs} ms`)), waitMs);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/**
 * play plays a game already started on a Socket.IO socket: every mole is
 * whacked reactionMs after it appears, plus 0, 100 or 200 ms by its id (a
 * person's reactions spread; one fixed reaction over a whole game is what
 * the server's consistency detector holds for review), through an acked
 * emit, until
 * game:over. A miss fails the game, except "taken" (another player of a
 * match was first); so does a refused whack, except "game_over" (a mole
 * that came up within reactionMs of the end). It resolves with {hits, over}.
 */
export function play(socket, sessionId, reactionMs = 150) {
  let hits = 0;
  const whacks = [];
  const onMole = (mole) => {
    if (mole.gameId !== sessionId) return;
    whacks.push(
      delay(reactionMs + (mole.moleId % 3) * 100)
        .then(() => request(socket, "game:whack", { sessionId, hole: mole.hole, moleId: mole.moleId }))
        .then((answer) => {
          if (answer.error?.code === "game_over") return;
          if (answer.error) throw new Error(`whack refused: ${JSON.stringify(answer.error)}`);
          if (answer.reason === undefined) hits++;
          else if (answer.reason !== "taken") throw new Error(`unexpected miss: ${JSON.stringify(answer)}`);
        }),
    );
  };
  socket.on("game:mole", onMole);
  const stop = () => socket.off("game:mole", onMole);
  return nextEvent(socket, "game:over", (over) => over.gameId === sessionId, 60_000).then(
    async (over) => {
      stop();
      await Promise.all(whacks);
      return { hits, over };
    },
    (err) => {
      stop();
      throw err;
    },
  );
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * NativeSocket is a /ws client speaking the native envelopes
 * {"t","id","d"}: request sends a frame with a fresh id and resolves with
 * the frame answering it; next waits for a frame of a type.
 */
export class NativeSocket {
  static open(token) {
    const url = baseURL.replace(/^http/, "ws") + "/ws";
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(new NativeSocket(ws)));
      ws.once("error", reject);
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.lastID = 0;
    this.waiters = [];
    this.backlog = [];
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      record({ kind: "ws-received", frame });
      this.#deliver(frame);
    });
  }

  #deliver(frame) {
    const i = this.waiters.findIndex((w) => w.match(frame));
    if (i < 0) {
      this.backlog.push(frame);
      return;
    }
    const [waiter] = this.waiters.splice(i, 1);
    waiter.resolve(frame);
  }

  send(t, d, id = 0) {
    const frame = { t, d };
    if (id) frame.id = id;
    record({ kind: "ws-sent", frame });
    this.ws.send(JSON.stringify(frame));
  }

  request(t, d) {
    const id = ++this.lastID;
    const answer = this.next((f) => f.id === id);
    this.send(t, d, id);
    return answer;
  }

  /** next resolves with the first frame (queued or coming) that matches. */
  next(match) {
    const i = this.backlog.findIndex(match);
    if (i >= 0) return Promise.resolve(this.backlog.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching /ws frame within ${waitMs} ms`));
      }, waitMs);
      const waiter = {
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      this.waiters.push(waiter);
    });
  }

  close() {
    this.ws.close();
  }
}
