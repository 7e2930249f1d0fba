// The Socket.IO gateway as the original frontend uses it: the official
// socket.io-client against the real binary (started by
// test/e2e/socketio_test.go, which passes its address and an admin token).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import {
  baseURL,
  connectRealtime,
  disconnected,
  guest,
  nextEvent,
  NativeSocket,
  play,
  request,
  requiredEnv,
  rest,
} from "./lib/proofstell.mjs";

const mode = requiredEnv("PROOFSTELL_MODE");
const adminToken = requiredEnv("PROOFSTELL_ADMIN_TOKEN");

function newGuest(label) {
  return guest(`node-${label}-${randomUUID()}`);
}

test("connects with transports: ['websocket'] and answers an acked ping", async () => {
  const { accessToken } = await newGuest("ws-only");
  const socket = await connectRealtime(accessToken, { transports: ["websocket"] });
  try {
    assert.equal(socket.io.engine.transport.name, "websocket");
    const pong = await request(socket, "ping", {});
    assert.equal(typeof pong.serverTime, "number");
    assert.ok(Math.abs(pong.serverTime - Date.now()) < 60_000, `serverTime ${pong.serverTime} is the server's clock`);
  } finally {
    socket.close();
  }
});

test("connects with the client's defaults: long-polling first, then the upgrade to websocket", async () => {
  const { accessToken } = await newGuest("default");
  const socket = await connectRealtime(accessToken);
  try {
    const upgraded = socket.io.engine.transport.name === "websocket"
      ? Promise.resolve()
      : new Promise((resolve) => socket.io.engine.once("upgrade", resolve));
    // Messages flow whichever transport carries them at this moment.
    assert.equal(typeof (await request(socket, "ping", {})).serverTime, "number");
    await upgraded;
    assert.equal(socket.io.engine.transport.name, "websocket");
    assert.equal(typeof (await request(socket, "ping", {})).serverTime, "number");
  } finally {
    socket.close();
  }
});

test("a long-polling-only client plays messages both ways", async () => {
  const { accessToken } = await newGuest("polling");
  const socket = await connectRealtime(accessToken, { transports: ["polling"] });
  try {
    assert.equal(socket.io.engine.transport.name, "polling");
    const subscribed = await request(socket, "leaderboard:subscribe", { leaderboardId: "global" });
    assert.deepEqual(subscribed, {});
    const refused = await request(socket, "game:start", { mode: "no-such-mode" });
    assert.equal(refused.error?.code, "unknown_mode");
  } finally {
    socket.close();
  }
});

test("a bad or missing token gets CONNECT_ERROR with a stable code", async () => {
  for (const [token, label] of [["not-a-jwt", "bad token"], [undefined, "no token"]]) {
    await assert.rejects(connectRealtime(token, { transports: ["websocket"] }), (err) => {
      assert.equal(err.data?.code, "unauthorized", `${label}: ${JSON.stringify(err.data)} (${err.message})`);
      assert.ok(err.message.length > 0, `${label}: a message the developer can read`);
      return true;
    });
  }
});

test("a session id the node does not know gets the protocol's error, not a 500", async () => {
  const res = await fetch(`${baseURL}/socket.io/?EIO=4&transport=polling&sid=unknown-sid`);
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { code: 1, message: "Session ID unknown" });
});

test("a refused emit answers its ack with the error shape", async () => {
  const { accessToken } = await newGuest("refused");
  const socket = await connectRealtime(accessToken, { transports: ["websocket"] });
  try {
    const answer = await request(socket, "game:whack", { sessionId: randomUUID(), hole: 0, moleId: 1 });
    assert.equal(typeof answer.error?.code, "string", JSON.stringify(answer));
    assert.equal(typeof answer.error?.message, "string");
    const unknown = await request(socket, "no:such-type", {});
    assert.equal(unknown.error?.code, "unknown_type");
  } finally {
    socket.close();
  }
});

test("plays a full solo game; the result reaches the board and leaderboard:update", async () => {
  const { accessToken, player } = await newGuest("solo");
  const socket = await connectRealtime(accessToken, { transports: ["websocket"] });
  try {
    assert.deepEqual(await request(socket, "leaderboard:subscribe", { leaderboardId: "global", mode }), {});
    const update = nextEvent(socket, "leaderboard:update",
      (u) => u.leaderboardId === "global" && u.mode === mode && u.scores.some((s) => s.playerId === player.id), 60_000);
    update.catch(() => {}); // awaited below; a failure before that must not surface as unhandled
    const started = await request(socket, "game:start", { mode });
    assert.equal(typeof started.sessionId, "string", JSON.stringify(started));
    assert.equal(started.mode, mode);

    const { hits, over } = await play(socket, started.sessionId);
    assert.ok(hits > 0, "a player reacting in 150 ms hits moles");
    assert.equal(over.flagged, false);
    assert.equal(over.results.length, 1);
    assert.equal(over.results[0].playerId, player.id);
    assert.equal(over.results[0].hits, hits);

    const entry = (await update).scores.find((s) => s.playerId === player.id);
    assert.equal(entry.score, over.results[0].score);
    const me = await rest("GET", `/api/v1/leaderboards/global/me?mode=${encodeURIComponent(mode)}`, { token: accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.score, over.results[0].score);
  } finally {
    socket.close();
  }
});

test("a two-player match: one player on Socket.IO, the other on /ws", async () => {
  const creator = await newGuest("match-sio");
  const joiner = await newGuest("match-ws");
  const socket = await connectRealtime(creator.accessToken, { transports: ["websocket"] });
  const native = await NativeSocket.open(joiner.accessToken);
  try {
    const created = await request(socket, "game:create", { mode, maxPlayers: 2 });
    assert.equal(typeof created.code, "string", JSON.stringify(created));
    const started = nextEvent(socket, "game:state-change", (s) => s.state === "started");
    const joined = await native.request("game:join", { code: created.code });
    assert.equal(joined.t, "ack", JSON.stringify(joined));
    assert.equal(joined.d.sessionId, created.sessionId);
    await started;

    const nativeOver = native.next((f) => f.t === "game:over");
    const { over } = await play(socket, created.sessionId);
    const overOnWs = await nativeOver;
    assert.deepEqual(overOnWs.d, over, "both gateways carry the same game:over");
    assert.deepEqual(over.results.map((r) => r.playerId).sort(), [creator.player.id, joiner.player.id].sort());
  } finally {
    socket.close();
    native.close();
  }
});

test("logout disconnects the socket with a reason the client sees", async () => {
  const { accessToken } = await newGuest("logout");
  const socket = await connectRealtime(accessToken, { transports: ["websocket"] });
  const closing = nextEvent(socket, "connection:close");
  const gone = disconnected(socket);
  const res = await rest("POST", "/api/v1/auth/logout", { token: accessToken });
  assert.equal(res.status, 204);
  assert.deepEqual(await closing, { code: 4003, reason: "revoked" });
  assert.equal(await gone, "io server disconnect");
});

test("a ban disconnects the socket with reason banned", async () => {
  const { accessToken, player } = await newGuest("banned");
  const socket = await connectRealtime(accessToken, { transports: ["websocket"] });
  const closing = nextEvent(socket, "connection:close");
  const gone = disconnected(socket);
  const res = await rest("PATCH", `/api/v1/admin/players/${player.id}`, { token: adminToken, body: { banned: true } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(await closing, { code: 1008, reason: "banned" });
  assert.equal(await gone, "io server disconnect");
  await assert.rejects(connectRealtime(accessToken, { transports: ["websocket"] }), (err) => {
    assert.equal(err.data?.code, "revoked", JSON.stringify(err.data));
    return true;
  });
});
