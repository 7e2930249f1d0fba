// The realtime client against the real node, over both gateways with the
// same code: a full solo game to leaderboard:update, typed errors,
// reconnection with game:resume after a dropped connection and after a
// 4001 close, and an expired token refreshed at connect.
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { Auth, ConnectError, Rest, RealtimeError, createRestClient } from "../dist/node.js";
import { baseURL, connect, forgeAccessToken, mode, play, signIn, skip, startProxy, transports } from "./helpers.mjs";

for (const transport of transports) {
  describe(`over ${transport}`, { skip }, () => {
    test("plays a full solo game; the result reaches leaderboard:update and the REST board", async () => {
      const auth = await signIn(`solo-${transport}`);
      const player = auth.tokens.player;
      const client = await connect(transport, auth);
      try {
        assert.deepEqual(await client.subscribeLeaderboard("global", mode), {});
        const update = client.next("leaderboard:update", (u) => u.mode === mode && u.scores.some((s) => s.playerId === player.id), 60_000);
        update.catch(() => {}); // awaited below; an earlier failure must not surface as unhandled
        const started = await client.startGame({ mode });
        assert.equal(started.mode, mode);
        assert.equal(client.sessionId, started.sessionId);

        const { hits, over } = await play(client, started.sessionId);
        assert.ok(hits > 0, "a player reacting in 150 ms hits moles");
        assert.equal(over.flagged, false);
        assert.deepEqual(over.results.map((r) => [r.playerId, r.hits]), [[player.id, hits]]);
        assert.equal(client.sessionId, undefined, "the game is over");

        const entry = (await update).scores.find((s) => s.playerId === player.id);
        assert.equal(entry.score, over.results[0].score);
        const rest = new Rest(createRestClient(auth, baseURL));
        assert.equal((await rest.myRank("global", mode)).score, over.results[0].score);
      } finally {
        client.close();
      }
    });

    test("a refused request rejects with a typed RealtimeError", async () => {
      const client = await connect(transport, await signIn(`refused-${transport}`));
      try {
        await assert.rejects(client.startGame({ mode: "no-such-mode" }), (err) => {
          assert.ok(err instanceof RealtimeError, String(err));
          assert.equal(err.code, "unknown_mode");
          assert.ok(err.message.length > 0);
          return true;
        });
        assert.equal(typeof (await client.ping()).serverTime, "number", "the connection stays open");
      } finally {
        client.close();
      }
    });

    test("reconnects after the connection drops and resumes the game to game:over", async () => {
      const proxy = await startProxy();
      const client = await connect(transport, await signIn(`drop-${transport}`), proxy.url);
      try {
        const started = await client.startGame({ mode });
        const firstMole = client.next("game:mole", () => true, 15_000);
        const game = play(client, started.sessionId);
        game.catch(() => {});
        await firstMole;
        const closed = client.next("close");
        const resumed = client.next("resumed", () => true, 15_000);
        proxy.drop();
        const close = await closed;
        assert.equal(close.code, 1006, JSON.stringify(close));
        assert.equal(close.reconnecting, true);
        assert.equal((await resumed).sessionId, started.sessionId);
        const { over } = await game;
        assert.equal(over.gameId, started.sessionId);
        assert.equal(over.results.length, 1);
      } finally {
        client.close();
        proxy.close();
      }
    });

    test("a socket closed 4001 at its token's expiry refreshes the token, reconnects and resumes", async () => {
      const signedIn = await signIn(`expiring-${transport}`);
      const tokens = { ...signedIn.tokens, accessToken: forgeAccessToken(signedIn.tokens.accessToken, 2) };
      const auth = new Auth({ baseUrl: baseURL, tokens });
      const client = await connect(transport, auth);
      try {
        const closed = client.next("close", () => true, 15_000);
        const started = await client.startGame({ mode });
        const game = play(client, started.sessionId);
        game.catch(() => {});
        const close = await closed;
        assert.equal(close.code, 4001, JSON.stringify(close));
        assert.equal(close.reconnecting, true);
        assert.equal((await client.next("resumed", () => true, 15_000)).sessionId, started.sessionId);
        assert.notEqual(auth.tokens.accessToken, tokens.accessToken, "refreshed");
        assert.equal((await game).over.gameId, started.sessionId);
      } finally {
        client.close();
      }
    });

    test("an expired access token refused at connect is refreshed once", async () => {
      const signedIn = await signIn(`expired-${transport}`);
      const expired = forgeAccessToken(signedIn.tokens.accessToken, -60);
      const auth = new Auth({ baseUrl: baseURL, tokens: { ...signedIn.tokens, accessToken: expired } });
      const client = await connect(transport, auth);
      try {
        assert.notEqual(auth.tokens.accessToken, expired);
        assert.equal(typeof (await client.ping()).serverTime, "number");
      } finally {
        client.close();
      }
    });

    test("a revoked session cannot connect: connect rejects with a ConnectError", async () => {
      const auth = await signIn(`revoked-${transport}`);
      const res = await auth.fetch("/api/v1/auth/logout", { method: "POST" });
      assert.ok(res.ok, `logout: ${res.status}`);
      const client = new (await import("../dist/node.js")).RealtimeClient({
        url: baseURL,
        transport,
        getToken: async () => auth.tokens.accessToken,
      });
      await assert.rejects(client.connect(), (err) => err instanceof ConnectError);
    });
  });
}

describe("a match across both transports", { skip }, () => {
  test("created on /ws, joined over Socket.IO, begun by its creator, played by both to one game:over", async () => {
    const creator = await connect("ws", await signIn("match-creator"));
    const joiner = await connect("socketio", await signIn("match-joiner"));
    try {
      const created = await creator.createMatch({ mode, maxPlayers: 3 });
      assert.equal(creator.sessionId, created.sessionId);
      const waiting = creator.next("game:state-change", (s) => s.state === "waiting" && s.players === 2);
      const joined = await joiner.joinMatch({ code: created.code });
      assert.equal(joined.sessionId, created.sessionId);
      await waiting;
      await assert.rejects(joiner.beginMatch({ sessionId: created.sessionId }), (err) => err.code === "not_creator");
      const started = joiner.next("game:state-change", (s) => s.state === "started");
      assert.deepEqual(await creator.beginMatch({ sessionId: created.sessionId }), {});
      await started;
      const [a, b] = await Promise.all([play(creator, created.sessionId), play(joiner, created.sessionId)]);
      assert.deepEqual(a.over, b.over, "both gateways carry the same game:over");
      assert.equal(a.over.results.length, 2);
    } finally {
      creator.close();
      joiner.close();
    }
  });
});
