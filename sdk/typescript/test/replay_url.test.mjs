// The SDK's replay verifier on a replay served by a running node: the Go
// end-to-end test test/e2e TestServer_ModePeriodClosesAndProofs follows a
// period proof's replayUrl and runs this with PROOFSTELL_REPLAY_URL (that
// URL) and PROOFSTELL_REPLAY_HASH (the hash the proof's leaf commits to).
import { test } from "node:test";
import assert from "node:assert/strict";

import { verifyReplay } from "../dist/node.js";

const url = process.env.PROOFSTELL_REPLAY_URL;
const want = process.env.PROOFSTELL_REPLAY_HASH;

test("verifyReplay accepts the replay a period proof links to", { skip: url ? false : "PROOFSTELL_REPLAY_URL is not set: run through test/e2e TestServer_ModePeriodClosesAndProofs" }, async () => {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  const replay = await res.json();
  const report = await verifyReplay(replay);
  assert.equal(report.ok, true, JSON.stringify(report));
  assert.equal(report.replayHash, want);
});
