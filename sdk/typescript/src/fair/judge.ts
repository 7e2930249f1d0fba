// Re-judging a replay's input log by the rules of actors/session/game/doc.go,
// the same way fair/verify/judge.go does (see there for the why).
import type { ScheduledMole as Mole } from "./schedule.js";
import type { ReplayDocument, ReplayInput, ReplayResult } from "./replay.js";
import type { Divergence } from "./verify.js";

const secondNs = 1e9;

interface Standing {
  index: number;
  score: number;
  hits: number;
  misses: number;
  bombs: number;
  combo: number;
  best: number;
  flags: number;
  reached: boolean;
  reachedNs: number;
  whacks: number[];
}

interface Verdict {
  judgement: string;
  mole: number;
}

const show = (v: Verdict): string => `${v.judgement} (mole ${String(v.mole)})`;
const same = (a: Verdict, b: Verdict): boolean => a.judgement === b.judgement && a.mole === b.mole;

/** Judge re-judges the log in order, keeping each player's numbers. */
export class Judge {
  private readonly winner = new Set<number>();
  private readonly players: Standing[];

  constructor(
    private readonly r: ReplayDocument,
    private readonly moles: Mole[],
  ) {
    this.players = r.players.map((_, index) => ({
      index, score: 0, hits: 0, misses: 0, bombs: 0, combo: 0, best: 0, flags: 0,
      reached: false, reachedNs: 0, whacks: [],
    }));
  }

  /** input judges one whack; a divergence when the log's verdict is not one the rules allow. */
  input(i: number, w: ReplayInput): Divergence | undefined {
    const p = this.players[w.player] as Standing;
    const limit = this.r.limits.maxWhacksPerSecond;
    const over = p.whacks.length >= limit && w.atNs - (p.whacks[p.whacks.length - limit] as number) < secondNs;
    p.whacks.push(w.atNs);
    const rules = this.byRules(w);
    const want = over ? { judgement: "rate_limited", mole: w.moleId } : rules;
    const got = { judgement: w.judgement, mole: w.mole };
    if (!accepted(got, want, rules, over)) {
      return { check: "input", index: i, expected: show(want), got: show(got) };
    }
    this.apply(p, got, w.atNs);
    return undefined;
  }

  private byRules(w: ReplayInput): Verdict {
    const [m, miss] = this.target(w);
    if (m === undefined) return { judgement: miss, mole: w.moleId };
    if (w.atNs - m.upNs - w.allowanceNs < this.r.limits.minReactionNs) return { judgement: "too_fast", mole: m.id };
    if (this.winner.has(m.id)) return { judgement: "taken", mole: m.id };
    return { judgement: "hit", mole: m.id };
  }

  private target(w: ReplayInput): [Mole | undefined, string] {
    if (w.moleId === 0) {
      for (let k = this.moles.length - 1; k >= 0; k--) {
        const m = this.moles[k] as Mole;
        if (m.hole === w.hole && m.upNs <= w.atNs && w.atNs <= m.downNs + w.allowanceNs) return [m, ""];
      }
      return [undefined, "empty"];
    }
    if (w.moleId < 0 || w.moleId > this.moles.length) return [undefined, "empty"];
    const m = this.moles[w.moleId - 1] as Mole;
    if (m.upNs > w.atNs) return [undefined, "empty"];
    if (m.hole !== w.hole) return [undefined, "wrong_hole"];
    if (w.atNs > m.downNs + w.allowanceNs) return [undefined, "expired"];
    return [m, ""];
  }

  private apply(p: Standing, v: Verdict, at: number): void {
    switch (v.judgement) {
      case "hit":
        this.win(p, this.moles[v.mole - 1] as Mole, at);
        return;
      case "taken":
      case "stale":
        return;
    }
    p.misses++;
    p.combo = 0;
    if (v.judgement === "too_fast" || v.judgement === "rate_limited") p.flags++;
  }

  private win(p: Standing, m: Mole, at: number): void {
    this.winner.add(m.id);
    const rules = this.r.rules;
    const points = m.kind === "golden" ? rules.goldenPoints : m.kind === "bomb" ? -rules.bombPenalty : rules.hitPoints;
    const score = Math.max(0, p.score + points);
    if (score !== p.score) {
      p.score = score;
      p.reached = true;
      p.reachedNs = at;
    }
    if (m.kind === "bomb") {
      p.bombs++;
      p.combo = 0;
      return;
    }
    p.hits++;
    p.combo++;
    p.best = Math.max(p.best, p.combo);
  }

  /** ranked is the results in rank order: score, then who reached it first (never first), then join order. */
  ranked(): ReplayResult[] {
    const order = [...this.players].sort((a, b) => {
      if (a.score !== b.score) return b.score - a.score;
      if (a.reached !== b.reached) return a.reached ? 1 : -1;
      return a.reachedNs - b.reachedNs;
    });
    return order.map((p) => ({
      player: p.index, score: p.score, hits: p.hits, misses: p.misses, bombs: p.bombs, bestCombo: p.best,
      flags: p.flags,
    }));
  }
}

/** accepted: the exact verdict, stale where the rules flag, or (over the rate) what the other rules give. */
function accepted(got: Verdict, want: Verdict, rules: Verdict, over: boolean): boolean {
  if (same(got, want)) return true;
  if (got.judgement === "stale") {
    return (over && got.mole === want.mole) || (rules.judgement === "too_fast" && got.mole === rules.mole);
  }
  return over && same(got, rules);
}

/** showResult formats a result line as the Go verifier does. */
export function showResult(r: ReplayResult): string {
  return `player ${r.player} score ${r.score} hits ${r.hits} misses ${r.misses} bombs ${r.bombs} bestCombo ${r.bestCombo} flags ${r.flags}`;
}
