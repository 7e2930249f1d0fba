// The REST layer against the real node: the access token is refreshed
// transparently (once for concurrent calls) and errors are typed.
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { ApiError, Auth, Rest, createRestClient } from "../dist/node.js";
import { baseURL, forgeAccessToken, signIn, skip } from "./helpers.mjs";

describe("REST", { skip }, () => {
  test("an expired access token is refreshed once, transparently, for concurrent calls", async () => {
    const signedIn = await signIn("rest-expired");
    const before = signedIn.tokens;
    const pairs = [];
    const auth = new Auth({
      baseUrl: baseURL,
      tokens: { ...before, accessToken: forgeAccessToken(before.accessToken, -60) },
      onTokens: (t) => pairs.push(t),
    });
    const rest = new Rest(createRestClient(auth, baseURL));
    const [me, again, board] = await Promise.all([rest.me(), rest.me(), rest.leaderboard("global", { limit: 5 })]);
    assert.equal(me.id, before.player.id);
    assert.equal(again.id, before.player.id);
    assert.equal(board.leaderboardId, "global");
    assert.equal(pairs.length, 1, "one refresh shared by the three calls");
    assert.notEqual(auth.tokens.refreshToken, before.refreshToken, "the refresh token rotated");
  });

  test("an unreadable access token is refreshed too", async () => {
    const signedIn = await signIn("rest-invalid");
    const auth = new Auth({ baseUrl: baseURL, tokens: { ...signedIn.tokens, accessToken: "not-a-jwt" } });
    assert.equal((await new Rest(createRestClient(auth, baseURL)).me()).id, signedIn.tokens.player.id);
  });

  test("errors carry the error shape's code, message and requestId", async () => {
    const rest = new Rest(createRestClient(await signIn("rest-errors"), baseURL));
    await assert.rejects(rest.myRank("global"), (err) => {
      assert.ok(err instanceof ApiError, String(err));
      assert.equal(err.status, 404);
      assert.equal(err.code, "not_ranked");
      assert.ok(err.message.length > 0);
      assert.equal(typeof err.requestId, "string");
      return true;
    });
  });

  test("a refused refresh signs out and rejects with the server's code", async () => {
    const auth = await signIn("rest-reused");
    const stale = auth.tokens.refreshToken;
    await auth.refresh();
    const thief = new Auth({ baseUrl: baseURL, tokens: { ...auth.tokens, refreshToken: stale } });
    await assert.rejects(thief.refresh(), (err) => err instanceof ApiError && err.status === 401 && err.code === "token_reused");
    assert.equal(thief.tokens, undefined);
  });
});
