// The seed commitment and the mole schedule of docs/FAIRNESS.md §1–3:
// SHA-256 (Web Crypto) in counter mode, 64-bit words as BigInt.
import { utf8 } from "./replay.js";

const commitmentDomain = "proofstell/seed-commitment/v1";
const moleLabel = "proofstell/mole/v1";
const holeRestNs = 1e9;
const maxMoles = 4096;
const two64 = 1n << 64n;

/** One mole of a game, offsets from the start of running in nanoseconds. */
export interface ScheduledMole {
  id: number;
  hole: number;
  kind: "normal" | "golden" | "bomb";
  upNs: number;
  downNs: number;
}

/** The rules the schedule depends on. */
export interface ScheduleRules {
  rows: number;
  cols: number;
  durationNs: number;
  spawnIntervalNs: number;
  visibleNs: number;
  molesAtOnce: number;
  goldenChance: number;
  bombChance: number;
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", all));
}

function u32be(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v);
  return b;
}

/** hex is lower-case hex of bytes. */
export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** commitment is hex SHA-256("proofstell/seed-commitment/v1" ‖ u32be(len(id)) ‖ id ‖ seed). */
export async function commitment(sessionId: string, seed: Uint8Array): Promise<string> {
  const id = utf8(sessionId);
  return hex(await sha256(utf8(commitmentDomain), u32be(id.length), id, seed));
}

/** Stream is the 64-bit words of SHA-256(seed ‖ label ‖ u64be(index) ‖ u32be(j)), j = 0, 1, … */
export class Stream {
  private readonly prefix: Uint8Array;
  private block = 0;
  private words: bigint[] = [];

  constructor(seed: Uint8Array, label: string, index: bigint) {
    const idx = new Uint8Array(8);
    new DataView(idx.buffer).setBigUint64(0, index);
    const l = utf8(label);
    this.prefix = new Uint8Array(seed.length + l.length + 8);
    this.prefix.set(seed);
    this.prefix.set(l, seed.length);
    this.prefix.set(idx, seed.length + l.length);
  }

  async next(): Promise<bigint> {
    if (this.words.length === 0) {
      const d = new DataView((await sha256(this.prefix, u32be(this.block++))).buffer);
      for (let i = 0; i < 32; i += 8) this.words.push(d.getBigUint64(i));
    }
    return this.words.shift() as bigint;
  }

  /** intN is uniform in [0, n) by rejection: accept w < 2^64 − (2^64 mod n). */
  async intN(n: bigint): Promise<bigint> {
    const limit = two64 - 1n - (two64 % n);
    for (;;) {
      const w = await this.next();
      if (w <= limit) return w % n;
    }
  }

  /** float64 is the next word's top 53 bits times 2^−53. */
  async float64(): Promise<number> {
    return Number((await this.next()) >> 11n) / 2 ** 53;
  }
}

/** schedule recomputes every mole of a game from its seed and rules (FAIRNESS.md §3). */
export async function schedule(seed: Uint8Array, m: ScheduleRules): Promise<ScheduledMole[]> {
  const plan: ScheduledMole[] = [];
  for (let k = 0; k * m.spawnIntervalNs < m.durationNs; k++) {
    const up = k * m.spawnIntervalNs;
    const busy = new Set<number>();
    let visible = 0;
    // downNs is non-decreasing in id: older moles have rested too.
    for (let i = plan.length - 1; i >= 0; i--) {
      const p = plan[i] as ScheduledMole;
      if (up >= p.downNs + holeRestNs) break;
      busy.add(p.hole);
      if (up < p.downNs) visible++;
    }
    const free: number[] = [];
    for (let h = 0; h < m.rows * m.cols; h++) if (!busy.has(h)) free.push(h);
    if (visible >= m.molesAtOnce || free.length === 0 || plan.length >= maxMoles) continue;
    const s = new Stream(seed, moleLabel, BigInt(k));
    const hole = free[Number(await s.intN(BigInt(free.length)))] as number;
    const r = await s.float64();
    const kind = r < m.goldenChance ? "golden" : r < m.goldenChance + m.bombChance ? "bomb" : "normal";
    plan.push({ id: plan.length + 1, hole, kind, upNs: up, downNs: up + m.visibleNs });
  }
  return plan;
}

export { sha256 };
