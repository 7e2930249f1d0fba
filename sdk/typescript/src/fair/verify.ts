// verifyReplay checks a finished game's public replay without the server,
// with the same checks, in the same order and with the same report as the
// Go verifier (fair/verify, `proofstell verify`): docs/FAIRNESS.md §7.
import { Judge, showResult } from "./judge.js";
import { encodeReplay, replayEncoding, VerifyError, type ReplayDocument, type ReplayResult } from "./replay.js";
import { commitment, hex, schedule, sha256 } from "./schedule.js";

/** What a divergence is about, in the order the checks run. */
export type Check = "encoding" | "hash" | "canonical" | "rules" | "commitment" | "input" | "result" | "flagged";

/** The first thing that does not hold; index is the input's log position or the result's rank. */
export interface Divergence {
  check: Check;
  index: number;
  expected: string;
  got: string;
}

/** What verifyReplay found: ok, or the first divergence, and what was checked. */
export interface VerifyReport {
  ok: boolean;
  divergence?: Divergence;
  sessionId: string;
  replayHash: string;
  moles: number;
  golden: number;
  bombs: number;
  inputs: number;
  /** false when the log is truncated: the results count whacks it does not hold. */
  resultsChecked: boolean;
}

/**
 * verifyReplay checks a replay (the JSON of GET /api/v1/sessions/{id}/replay).
 * It throws VerifyError only for a replay it cannot read (canonical not
 * base64, a seed that is not 64 hex digits, a non-integer number field).
 */
export async function verifyReplay(r: ReplayDocument): Promise<VerifyReport> {
  const rep: VerifyReport = {
    ok: false, sessionId: r.sessionId, replayHash: r.replayHash, moles: 0, golden: 0, bombs: 0,
    inputs: r.inputs.length, resultsChecked: false,
  };
  const diverge = (d: Divergence | undefined): VerifyReport => {
    if (d !== undefined) return { ...rep, ok: false, divergence: d };
    return { ...rep, ok: true, resultsChecked: !r.inputsTruncated };
  };
  if (r.encoding !== replayEncoding) {
    return diverge({ check: "encoding", index: 0, expected: replayEncoding, got: r.encoding });
  }
  const canonical = base64(r.canonical);
  if (!/^[0-9a-fA-F]{64}$/.test(r.seed)) throw new VerifyError(`seed "${r.seed}" is not 64 hex digits`);
  const seed = Uint8Array.from(r.seed.match(/../g) as string[], (h) => parseInt(h, 16));
  const first = await checkBytes(r, canonical, seed);
  if (first !== undefined) return diverge(first);
  const want = await commitment(r.sessionId, seed);
  if (want !== r.seedCommitment) {
    return diverge({ check: "commitment", index: 0, expected: want, got: r.seedCommitment });
  }
  const moles = await schedule(seed, r.rules);
  rep.moles = moles.length;
  rep.golden = moles.filter((m) => m.kind === "golden").length;
  rep.bombs = moles.filter((m) => m.kind === "bomb").length;
  const judge = new Judge(r, moles);
  for (const [i, input] of r.inputs.entries()) {
    const d = judge.input(i, input);
    if (d !== undefined) return diverge(d);
  }
  return diverge(r.inputsTruncated ? undefined : checkResults(r, judge.ranked()));
}

function checkResults(r: ReplayDocument, want: ReplayResult[]): Divergence | undefined {
  if (want.length !== r.results.length) {
    return {
      check: "result", index: r.results.length, expected: `${want.length} results`, got: String(r.results.length),
    };
  }
  let flagged = false;
  for (const [i, w] of want.entries()) {
    const got = r.results[i] as ReplayResult;
    if (showResult(w) !== showResult(got)) return { check: "result", index: i, expected: showResult(w), got: showResult(got) };
    flagged = flagged || w.flags > 0;
  }
  if (flagged !== r.flagged) return { check: "flagged", index: 0, expected: String(flagged), got: String(r.flagged) };
  return undefined;
}

async function checkBytes(r: ReplayDocument, canonical: Uint8Array, seed: Uint8Array): Promise<Divergence | undefined> {
  const h = hex(await sha256(canonical));
  if (h !== r.replayHash) return { check: "hash", index: 0, expected: h, got: r.replayHash };
  const enc = encodeReplay(r, seed);
  const at = enc === undefined ? 0 : firstDifference(enc, canonical);
  if (at >= 0) {
    return {
      check: "canonical", index: 0, expected: `canonical bytes from byte ${at}`,
      got: `JSON fields that encode differently from byte ${at}`,
    };
  }
  const problem = checkRules(r);
  if (problem !== "") return { check: "rules", index: 0, expected: "rules within the game's bounds", got: problem };
  return undefined;
}

/** firstDifference is the first byte where a and b differ, -1 when they are equal. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function base64(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new VerifyError("canonical is not base64");
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

const maxSpanNs = 24 * 3600 * 1e9;
const inSpan = (v: number): boolean => v >= 1 && v <= maxSpanNs;

/** checkRules is the first way the replay leaves the game's bounds, "" when within them. */
function checkRules(r: ReplayDocument): string {
  const m = r.rules;
  const l = r.limits;
  if (m.rows < 1 || m.cols < 1 || m.rows > 64 || m.cols > 64 || m.rows * m.cols > 64) return `board ${m.rows}x${m.cols}`;
  if (!inSpan(m.durationNs) || !inSpan(m.spawnIntervalNs) || !inSpan(m.visibleNs)) return "durations outside (0, 24h]";
  if (m.durationNs >= 4096 * m.spawnIntervalNs) return "too many spawn slots";
  if (m.molesAtOnce < 1 || m.molesAtOnce > 64) return `molesAtOnce ${m.molesAtOnce}`;
  if (!(m.goldenChance >= 0 && m.bombChance >= 0 && m.goldenChance + m.bombChance <= 1)) return "chances outside [0, 1]";
  if (l.lagCapNs < 0 || l.lagCapNs > 60e9 || l.minReactionNs < 0 || l.maxWhacksPerSecond < 1 || l.maxWhacksPerSecond > 1000) {
    return "limits outside their bounds";
  }
  if (r.players.length < 1 || r.players.length > 8) return `${r.players.length} players`;
  if (r.inputs.length > 8192) return `${r.inputs.length} inputs`;
  for (const [i, w] of r.inputs.entries()) {
    const p = checkInput(r, w);
    if (p !== "") return `input ${i}: ${p}`;
  }
  for (const [i, s] of r.results.entries()) {
    if (s.player < 0 || s.player >= r.players.length) return `result ${i}: no player ${s.player}`;
  }
  return "";
}

function checkInput(r: ReplayDocument, w: ReplayDocument["inputs"][number]): string {
  if (w.player < 0 || w.player >= r.players.length) return `no player ${w.player}`;
  if (w.hole < 0 || w.hole >= r.rules.rows * r.rules.cols) return `no hole ${w.hole}`;
  if (w.atNs >= r.rules.durationNs || w.atNs < -maxSpanNs) return `at ${w.atNs} ns outside the game`;
  if (w.allowanceNs < 0 || w.allowanceNs > r.limits.lagCapNs) return `allowance ${w.allowanceNs} ns outside [0, lagCap]`;
  return "";
}
