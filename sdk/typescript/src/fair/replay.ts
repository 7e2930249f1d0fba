// The replay of a finished game as GET /api/v1/sessions/{id}/replay serves
// it (docs/FAIRNESS.md §6), and its canonical encoding.

/** The only replay encoding this verifier knows. */
export const replayEncoding = "proofstell/replay/v1";

/** The rules snapshot; durations in nanoseconds. */
export interface ReplayRules {
  mode: string;
  rows: number;
  cols: number;
  durationNs: number;
  spawnIntervalNs: number;
  visibleNs: number;
  countdownNs: number;
  molesAtOnce: number;
  hitPoints: number;
  goldenPoints: number;
  bombPenalty: number;
  goldenChance: number;
  bombChance: number;
}

/** The server's judging limits the game was judged with. */
export interface ReplayLimits {
  lagCapNs: number;
  minReactionNs: number;
  maxWhacksPerSecond: number;
}

/** One logged whack: atNs from the start of running. */
export interface ReplayInput {
  player: number;
  atNs: number;
  hole: number;
  moleId: number;
  allowanceNs: number;
  judgement: string;
  mole: number;
}

/** One player's line, in rank order. */
export interface ReplayResult {
  player: number;
  score: number;
  hits: number;
  misses: number;
  bombs: number;
  bestCombo: number;
  flags: number;
}

/** The body of GET /api/v1/sessions/{id}/replay. */
export interface ReplayDocument {
  sessionId: string;
  encoding: string;
  replayHash: string;
  canonical: string;
  seedCommitment: string;
  seed: string;
  rules: ReplayRules;
  limits: ReplayLimits;
  players: { playerId: string; username: string }[];
  inputs: ReplayInput[];
  inputsTruncated: boolean;
  results: ReplayResult[];
  flagged: boolean;
}

/** VerifyError is a replay the verifier cannot read at all. */
export class VerifyError extends Error {
  override readonly name = "VerifyError";
}

/**
 * encodeReplay writes the JSON fields in the canonical layout; undefined when
 * a u32 field is outside [0, 2^32) (such a view has no canonical bytes).
 */
export function encodeReplay(r: ReplayDocument, seed: Uint8Array): Uint8Array | undefined {
  const w = new Writer();
  w.raw(utf8(replayEncoding));
  w.str(r.sessionId);
  w.raw(seed);
  const m = r.rules;
  w.str(m.mode);
  w.u32(m.rows, m.cols);
  w.i64(m.durationNs, m.spawnIntervalNs, m.visibleNs, m.countdownNs);
  w.u32(m.molesAtOnce);
  w.i64(m.hitPoints, m.goldenPoints, m.bombPenalty);
  w.f64(m.goldenChance, m.bombChance);
  w.i64(r.limits.lagCapNs, r.limits.minReactionNs);
  w.u32(r.limits.maxWhacksPerSecond, r.players.length);
  for (const p of r.players) w.str(p.playerId);
  w.u32(r.inputs.length);
  for (const i of r.inputs) {
    w.u32(i.player);
    w.i64(i.atNs);
    w.u32(i.hole);
    w.i64(i.moleId, i.allowanceNs);
    w.str(i.judgement);
    w.i64(i.mole);
  }
  w.flag(r.inputsTruncated);
  w.u32(r.results.length);
  for (const s of r.results) {
    w.u32(s.player);
    w.i64(s.score);
    w.u32(s.hits, s.misses, s.bombs, s.bestCombo, s.flags);
  }
  w.flag(r.flagged);
  return w.outOfRange ? undefined : w.bytes();
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Writer appends big-endian fields; outOfRange records a u32 value it could not write. */
class Writer {
  private parts: Uint8Array[] = [];
  outOfRange = false;

  raw(b: Uint8Array): void {
    this.parts.push(b);
  }

  u32(...vs: number[]): void {
    for (const v of vs) {
      this.outOfRange ||= integer(v) < 0 || v > 0xffffffff;
      this.field(4, (d) => d.setUint32(0, v >>> 0));
    }
  }

  i64(...vs: number[]): void {
    for (const v of vs) this.field(8, (d) => d.setBigInt64(0, BigInt(integer(v))));
  }

  f64(...vs: number[]): void {
    for (const v of vs) this.field(8, (d) => d.setFloat64(0, v));
  }

  str(s: string): void {
    const b = utf8(s);
    this.u32(b.length);
    this.raw(b);
  }

  flag(v: boolean): void {
    this.raw(Uint8Array.of(v ? 1 : 0));
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private field(size: number, set: (d: DataView) => void): void {
    const b = new Uint8Array(size);
    set(new DataView(b.buffer));
    this.parts.push(b);
  }
}

/** integer refuses a number JSON cannot have carried from an int64 field exactly. */
function integer(v: number): number {
  if (!Number.isSafeInteger(v)) throw new VerifyError(`${String(v)} is not an integer the replay can hold`);
  return v;
}
