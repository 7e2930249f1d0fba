// The game history view: the player's latest games (GET
// /api/v1/players/me/sessions), newest first, one line each with
// data-session-id and data-score.
import type { RestClient } from "../../../sdk/typescript/src/index.js";
import { unwrap } from "../../../sdk/typescript/src/index.js";

/** History lists the player's latest games. */
export class History {
  constructor(
    private readonly list: HTMLOListElement,
    private readonly rest: RestClient,
  ) {}

  /** Reads the latest games again and shows them. */
  async refresh(): Promise<void> {
    const page = unwrap(await this.rest.GET("/api/v1/players/me/sessions", { params: { query: { limit: 10 } } }));
    if (page.sessions.length === 0) {
      const empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = "No games yet.";
      this.list.replaceChildren(empty);
      return;
    }
    this.list.replaceChildren(
      ...page.sessions.map((s) => {
        const li = document.createElement("li");
        li.dataset.sessionId = s.id;
        li.dataset.score = String(s.score);
        const when = new Date(s.endedAt ?? s.createdAt).toLocaleString();
        const what = document.createElement("span");
        what.textContent = `${s.mode} · ${s.kind} · ${when}${s.flagged ? " · flagged" : ""}`;
        const score = document.createElement("span");
        score.className = "points";
        score.textContent = s.state === "finished" ? String(s.score) : s.state;
        li.append(what, score);
        return li;
      }),
    );
  }
}
