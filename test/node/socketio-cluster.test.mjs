// A Socket.IO client survives its node's SIGTERM: test/cluster's
// TestCluster_SocketIOResumeAfterSIGTERM starts two members and passes their
// addresses and the first one's process id; this script plays a game on the
// first, stops that member itself mid-game, reconnects to the second and
// resumes the game to its end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import { connectRealtime, delay, disconnected, guest, nextEvent, play, request, requiredEnv } from "./lib/proofstell.mjs";

const firstURL = requiredEnv("PROOFSTELL_URL");
const secondURL = requiredEnv("PROOFSTELL_OTHER_URL");
const firstPID = Number(requiredEnv("PROOFSTELL_VICTIM_PID"));
const mode = requiredEnv("PROOFSTELL_MODE");

/** hitsBeforeStop: the game has been judged (and snapshotted) for a while. */
const hitsBeforeStop = 3;

test("after SIGTERM the client sees why, reconnects to another node and resumes its game", async () => {
  const { accessToken, player } = await guest(`node-cluster-${randomUUID()}`);
  const first = await connectRealtime(accessToken, { url: firstURL, transports: ["websocket"] });
  const started = await request(first, "game:start", { mode });
  const sessionId = started.sessionId;
  assert.equal(typeof sessionId, "string", JSON.stringify(started));

  let hits = 0;
  while (hits < hitsBeforeStop) {
    const mole = await nextEvent(first, "game:mole", (m) => m.gameId === sessionId);
    await delay(150);
    const answer = await request(first, "game:whack", { sessionId, hole: mole.hole, moleId: mole.moleId });
    if (answer.reason === undefined && !answer.error) hits++;
  }

  const closing = nextEvent(first, "connection:close");
  const gone = disconnected(first);
  process.kill(firstPID, "SIGTERM");
  assert.deepEqual(await closing, { code: 1001, reason: "server shutting down" });
  assert.equal(await gone, "io server disconnect");

  // The client's defaults this time: long-polling, then the upgrade.
  const second = await connectRealtime(accessToken, { url: secondURL });
  try {
    const overNow = play(second, sessionId);
    const resumed = await request(second, "game:resume", { sessionId });
    assert.equal(resumed.sessionId, sessionId, JSON.stringify(resumed));
    const { over } = await overNow;
    assert.equal(over.flagged, false);
    assert.equal(over.results.length, 1);
    assert.equal(over.results[0].playerId, player.id);
    assert.ok(over.results[0].hits >= hitsBeforeStop, `hits before the stop count: ${JSON.stringify(over)}`);
  } finally {
    second.close();
  }
});
