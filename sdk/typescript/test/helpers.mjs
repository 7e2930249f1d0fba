// Helpers of the SDK's end-to-end tests: the server under test (set by
// test/e2e/sdk_test.go), guest sign-in through the SDK, a client per
// transport, a player that whacks every mole, a TCP proxy whose
// connections the test can drop, and a forged access token.
import { createHmac, randomUUID } from "node:crypto";
import net from "node:net";

import { Auth, isHit, RealtimeClient } from "../dist/node.js";

/** The node under test; unset outside the Go test (the tests then skip). */
export const baseURL = process.env.PROOFSTELL_URL;
export const mode = process.env.PROOFSTELL_MODE ?? "classic";
export const skip = baseURL ? false : "PROOFSTELL_URL is not set: run through test/e2e (TestServer_TypeScriptSDK)";
export const transports = ["ws", "socketio"];

/** signIn returns an Auth signed in as a new guest. */
export async function signIn(label, options = {}) {
  const auth = new Auth({ baseUrl: baseURL, ...options });
  await auth.signInGuest(`sdk-${label}-${randomUUID()}`);
  return auth;
}

/** connect opens a RealtimeClient of transport for auth, at url (default: the node). */
export async function connect(transport, auth, url = baseURL) {
  const client = new RealtimeClient({
    url,
    transport,
    getToken: (options) => auth.accessToken(options),
    reconnect: { baseDelayMs: 50, maxDelayMs: 500 },
  });
  await client.connect();
  return client;
}

/**
 * play whacks every mole of the client's game reactionMs after it shows,
 * plus 0, 100 or 200 ms by its id (a person's reactions spread; one fixed
 * reaction over a whole game is what the server's consistency detector
 * holds for review), until game:over and resolves with {hits, over}. A miss fails, and so
 * does a refused whack except game_over (a mole up at the very end) and
 * disconnected (the test dropped the connection meanwhile).
 */
export function play(client, sessionId, reactionMs = 150) {
  let hits = 0;
  const whacks = [];
  const off = client.on("game:mole", (mole) => {
    if (mole.gameId !== sessionId) return;
    const whack = delay(reactionMs + (mole.moleId % 3) * 100)
      .then(() => client.whack({ sessionId, hole: mole.hole, moleId: mole.moleId }))
      .then((result) => {
        if (isHit(result)) hits++;
        else if (!["taken", "stale", "expired"].includes(result.reason)) throw new Error(`unexpected miss: ${JSON.stringify(result)}`);
      })
      .catch((err) => {
        if (!["game_over", "disconnected", "game_not_running"].includes(err.code)) throw err;
      });
    whacks.push(whack);
  });
  return client.next("game:over", (over) => over.gameId === sessionId, 60_000).then(
    async (over) => {
      off();
      await Promise.all(whacks);
      return { hits, over };
    },
    (err) => {
      off();
      throw err;
    },
  );
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * startProxy forwards TCP connections to the node; drop() destroys every
 * open one, as a network failure would, while new ones still pass.
 */
export async function startProxy() {
  const target = new URL(baseURL);
  const open = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on("close", () => open.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    drop: () => open.forEach((s) => s.destroy()),
    close: () => {
      open.forEach((s) => s.destroy());
      server.close();
    },
  };
}

/**
 * forgeAccessToken re-signs an access token's claims with exp moved to
 * expiresInS seconds from now (negative: already expired), with the
 * node's JWT secret (PROOFSTELL_JWT_SECRET), as the node itself would.
 */
export function forgeAccessToken(token, expiresInS) {
  const secret = process.env.PROOFSTELL_JWT_SECRET;
  if (!secret) throw new Error("PROOFSTELL_JWT_SECRET is not set");
  const [header, payload] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  claims.exp = Math.floor(Date.now() / 1000) + expiresInS;
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}
