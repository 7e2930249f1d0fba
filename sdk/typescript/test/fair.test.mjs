// The SDK's replay verifier (src/fair): the schedule vectors an independent
// implementation produced (docs/FAIRNESS.md), and, run through the Go test
// fair/verify TestVerify_CrossCheckTypeScript, the same verdicts as the Go
// verifier on its random and tampered replays (PROOFSTELL_REPLAYS names
// the directory with cases.json: each file and the Go verifier's report).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { commitment, schedule, Stream, verifyReplay, VerifyError } from "../dist/node.js";

const vectorsFile = new URL("../../../actors/session/game/testdata/schedule_vectors.json", import.meta.url);
const replays = process.env.PROOFSTELL_REPLAYS;

const bytes = (hex) => Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16));

describe("fair", () => {
  test("the schedule, stream and commitment match the vectors", async () => {
    const text = await readFile(vectorsFile, "utf8");
    const v = JSON.parse(text);
    for (const s of v.schedules) {
      const m = s.mode;
      const moles = await schedule(bytes(s.seed), { ...m, molesAtOnce: m.maxMolesUp });
      assert.deepEqual(moles, s.moles, `seed ${s.seed}`);
    }
    const st = new Stream(bytes(v.stream.seed), v.stream.label, BigInt(v.stream.index));
    for (const w of v.stream.words) assert.equal(String(await st.next()), w);
    // The pairs hold integers beyond 2^53: read them from the text, not as numbers.
    const intn = text.slice(text.indexOf('"intn"')).match(/\[\s*(\d+),\s*(\d+)\s*\]/g);
    assert.equal(intn.length, v.stream.intn.length);
    for (const pair of intn) {
      const [n, want] = pair.match(/\d+/g).map(BigInt);
      const s = new Stream(bytes(v.stream.seed), v.stream.label, n);
      assert.equal(await s.intN(n), want);
    }
    for (const c of v.commitments) assert.equal(await commitment(c.sessionId, bytes(c.seed)), c.commitment);
  });

  test("an unreadable replay throws VerifyError", async () => {
    const broken = { encoding: "proofstell/replay/v1", canonical: "%%%", seed: "00", inputs: [] };
    await assert.rejects(verifyReplay(broken), VerifyError);
  });

  test("the Go verifier's verdicts on random and tampered replays", { skip: replays ? false : "PROOFSTELL_REPLAYS is not set: run through fair/verify TestVerify_CrossCheckTypeScript" }, async () => {
    const cases = JSON.parse(await readFile(path.join(replays, "cases.json"), "utf8"));
    assert.ok(cases.length >= 1000, `${cases.length} cases`);
    let rejected = 0;
    for (const c of cases) {
      const replay = JSON.parse(await readFile(path.join(replays, c.file), "utf8"));
      const report = await verifyReplay(replay);
      assert.deepEqual(report, c.report, c.file);
      if (!report.ok) rejected++;
    }
    assert.ok(rejected > 0, "some tampered replays");
  });
});
