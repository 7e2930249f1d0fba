// The leaderboard view: the top of a board's current period, the player's
// own line marked (li.me, data-player-id on every line), and their rank.
import type { Standing } from "../../../sdk/typescript/src/index.js";

/** Standings renders one board's top and the player's rank. */
export class Standings {
  constructor(
    private readonly list: HTMLOListElement,
    private readonly rankLine: HTMLElement,
  ) {}

  /** Replaces the top with scores; playerId's line is marked. */
  top(scores: Standing[], playerId: string | undefined): void {
    if (scores.length === 0) {
      const empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = "Nobody is on this board yet.";
      this.list.replaceChildren(empty);
      return;
    }
    this.list.replaceChildren(...scores.map((s) => line(s, s.playerId === playerId)));
  }

  /** Shows the player's rank, or that they have none yet. */
  rank(rank: { rank: number; score: number; total: number } | undefined): void {
    this.rankLine.dataset.rank = rank ? String(rank.rank) : "";
    this.rankLine.textContent = rank
      ? `Your rank: ${rank.rank} of ${rank.total} (best score ${rank.score})`
      : "Your rank shows here once you score on this board.";
  }
}

function line(standing: Standing, mine: boolean): HTMLLIElement {
  const li = document.createElement("li");
  li.dataset.playerId = standing.playerId;
  li.dataset.score = String(standing.score);
  if (mine) li.className = "me";
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = `${standing.rank}. ${standing.username}${mine ? " (you)" : ""}`;
  const points = document.createElement("span");
  points.className = "points";
  points.textContent = String(standing.score);
  li.append(name, points);
  return li;
}
