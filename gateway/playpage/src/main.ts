// The play page: signs in as a guest (or, when a StarkNet browser wallet is
// there, with it on request), plays solo games and matches over the node's
// /ws gateway with the SDK's RealtimeClient, and shows the live daily
// leaderboard. Everything is same-origin: the page, REST and the socket.
import {
  ApiError,
  Auth,
  createRestClient,
  isHit,
  RealtimeClient,
  RealtimeError,
  Rest,
  type LeaderboardId,
  type Over,
  type SessionAck,
  type StateChange,
  type Tokens,
  type WhackResult,
} from "../../../sdk/typescript/src/index.js";
import { Board, type Aim } from "./board.js";
import { deviceId } from "./device.js";
import { History } from "./history.js";
import { Standings } from "./standings.js";
import { signInStarknet } from "./wallet.js";

// board is the leaderboard shown (and subscribed to), of boardMode: the
// period select picks the board, the mode select its mode.
let board: LeaderboardId = "daily";
let boardMode = "classic";

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page has no #${id}`);
  return el as T;
}

const ui = {
  player: byId("player"),
  wallet: byId<HTMLButtonElement>("wallet"),
  mode: byId<HTMLSelectElement>("mode"),
  start: byId<HTMLButtonElement>("start"),
  create: byId<HTMLButtonElement>("create"),
  code: byId<HTMLInputElement>("code"),
  join: byId<HTMLButtonElement>("join"),
  match: byId("match"),
  matchCode: byId("match-code"),
  begin: byId<HTMLButtonElement>("begin"),
  status: byId("status"),
  score: byId("score"),
  hits: byId("hits"),
  misses: byId("misses"),
  time: byId("time"),
  result: byId("result"),
  period: byId<HTMLSelectElement>("period"),
  news: byId("news"),
  notices: byId<HTMLUListElement>("notices"),
};

const origin = location.origin;
const auth = new Auth({ baseUrl: origin });
const restClient = createRestClient(auth, origin);
const rest = new Rest(restClient);
const client = new RealtimeClient({ url: origin, transport: "ws", getToken: (o) => auth.accessToken(o) });
const holes = new Board(byId("board"), (aim) => void whack(aim));
const standings = new Standings(byId<HTMLOListElement>("leaderboard"), byId("rank"));
const history = new History(byId<HTMLOListElement>("history"), restClient);

/** The game being played: its id, the player's counts, when it ends. */
interface Game {
  id: string;
  score: number;
  hits: number;
  misses: number;
  running: boolean;
  /** The player created this match and begins it. */
  creator?: boolean;
  durationMs?: number;
  endsAt?: number;
}

let me: string | undefined;
let game: Game | undefined;
let clock: number | undefined;
// switching: the socket closes to reopen as another player, not for good.
let switching = false;
// rankDue: a game ended with points; ask for the rank once the board shows them.
let rankDue = false;

function status(text: string): void {
  ui.status.textContent = text;
}

function failure(err: unknown): string {
  if (err instanceof RealtimeError || err instanceof ApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

function setBusy(busy: boolean): void {
  for (const b of [ui.start, ui.create, ui.join, ui.wallet]) b.disabled = busy;
}

function showCounts(): void {
  ui.score.textContent = String(game?.score ?? 0);
  ui.hits.textContent = String(game?.hits ?? 0);
  ui.misses.textContent = String(game?.misses ?? 0);
}

function tick(): void {
  const left = game?.endsAt === undefined ? undefined : Math.max(0, game.endsAt - Date.now());
  ui.time.textContent = left === undefined ? "–" : `${Math.ceil(left / 1000)}s`;
}

// enter shows a game the node acknowledged (started, created or joined).
function enter(ack: Pick<SessionAck, "sessionId"> & Partial<SessionAck>): void {
  game = { id: ack.sessionId, score: 0, hits: 0, misses: 0, running: false, durationMs: ack.durationMs };
  if (ack.board) holes.reset(ack.board.rows, ack.board.cols);
  ui.result.hidden = true;
  ui.result.removeAttribute("data-score");
  showCounts();
  tick();
  status("Get ready…");
}

function onState(s: StateChange): void {
  if (!game || s.gameId !== game.id) return;
  game.running = s.state === "started";
  const remainingMs = s.remainingMs ?? (game.running && game.endsAt === undefined ? game.durationMs : undefined);
  if (remainingMs !== undefined) game.endsAt = Date.now() + remainingMs;
  window.clearInterval(clock);
  if (game.running) clock = window.setInterval(tick, 250);
  tick();
  const players = s.players !== undefined && s.players > 1 ? ` · ${s.players} players` : "";
  switch (s.state) {
    case "waiting":
      if (s.startsInMs !== undefined) status(`Starts in ${Math.ceil(s.startsInMs / 1000)}s${players}`);
      else status(game.creator ? `Press Begin when everyone is in${players}` : `Waiting for the creator to begin${players}`);
      break;
    case "started":
      status(`Whack!${players}`);
      break;
    case "paused":
      status("Paused: the game moves to another node…");
      break;
    case "ended": // a game that ended normally: game:over says how
      if (!s.reason) break;
      status(`Game ended (${s.reason})`);
      holes.clear();
      ui.match.hidden = true;
      setBusy(false);
      break;
  }
}

function apply(result: WhackResult): void {
  if (!game || result.gameId !== game.id) return;
  game.score = result.score;
  if (isHit(result)) game.hits++;
  else if (result.reason !== "taken") game.misses++;
  holes.flash(result.hole, isHit(result));
  showCounts();
}

async function whack(aim: Aim): Promise<void> {
  if (!game?.running || aim.moleId === undefined) return; // nothing up there: nothing to whack
  holes.hide(aim.hole, aim.moleId);
  try {
    apply(await client.whack({ sessionId: game.id, hole: aim.hole, moleId: aim.moleId }));
  } catch (err) {
    status(`Whack refused: ${failure(err)}`);
  }
}

function onOver(over: Over): void {
  if (!game || over.gameId !== game.id) return;
  window.clearInterval(clock);
  game.running = false;
  game.endsAt = undefined;
  holes.clear();
  tick();
  const mine = over.results.find((r) => r.playerId === me);
  const place = over.results.length > 1 && mine ? ` · place ${over.results.indexOf(mine) + 1} of ${over.results.length}` : "";
  if (mine) {
    Object.assign(game, { score: mine.score, hits: mine.hits, misses: mine.misses });
    showCounts();
    ui.result.dataset.score = String(mine.score);
    ui.result.textContent = `Game over: score ${mine.score} (${mine.hits} hits, ${mine.misses} misses)${place}`;
    ui.result.hidden = false;
    if (mine.score > 0) awaitRank();
  }
  window.setTimeout(() => void showHistory(), 1000); // the game is stored just after its game:over
  status(over.flagged ? "Game over (flagged for review)" : "Game over. Play again?");
  ui.match.hidden = true;
  setBusy(false);
}

function awaitRank(): void {
  rankDue = true;
  window.setTimeout(() => void refreshRank(), 2000);
}

async function refreshRank(): Promise<void> {
  if (!rankDue) return;
  rankDue = false;
  try {
    standings.rank(await rest.myRank(board, boardMode));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) standings.rank(undefined);
    else status(`Could not read your rank: ${failure(err)}`);
  }
}

async function play(start: () => Promise<SessionAck>): Promise<void> {
  setBusy(true);
  try {
    enter(await start());
  } catch (err) {
    status(`Could not start: ${failure(err)}`);
    setBusy(false);
  }
}

async function createMatch(): Promise<void> {
  setBusy(true);
  try {
    const ack = await client.createMatch({ mode: ui.mode.value, maxPlayers: 8 });
    // The create ack has no board: resuming the match answers as a join does, with it.
    const joined = await client.resumeGame({ sessionId: ack.sessionId });
    enter("board" in joined ? joined : ack);
    if (game) game.creator = true;
    ui.matchCode.textContent = ack.code;
    ui.match.hidden = false;
    status("Waiting for players: press Begin when everyone is in.");
  } catch (err) {
    status(`Could not create a match: ${failure(err)}`);
    setBusy(false);
  }
}

async function beginMatch(): Promise<void> {
  if (!game) return;
  try {
    await client.beginMatch({ sessionId: game.id });
    ui.match.hidden = true;
  } catch (err) {
    status(`Could not begin: ${failure(err)}`);
  }
}

// showBoard switches the leaderboard to another board or mode: its top by
// REST, then its live updates (the previous board's unsubscribed). A
// practice mode has no boards: the list says so.
async function showBoard(next: LeaderboardId, nextMode = ui.mode.value): Promise<void> {
  const [previous, previousMode] = [board, boardMode];
  [board, boardMode] = [next, nextMode];
  if (previous !== next || previousMode !== nextMode) await client.unsubscribeLeaderboard(previous, previousMode);
  await client.subscribeLeaderboard(next, nextMode);
  let top;
  try {
    top = await rest.leaderboard(next, { limit: 10, mode: nextMode });
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
    standings.top([], me);
    standings.rank(undefined);
    return;
  }
  standings.top(top.entries, me);
  rankDue = top.entries.some((s) => s.playerId === me);
  if (rankDue) await refreshRank();
  else standings.rank(undefined);
}

async function showHistory(): Promise<void> {
  try {
    await history.refresh();
  } catch (err) {
    status(`Could not read your games: ${failure(err)}`);
  }
}

// notice shows a badge or mint event as it arrives, newest first.
function notice(text: string): void {
  const li = document.createElement("li");
  li.textContent = text;
  ui.notices.prepend(li);
  ui.news.hidden = false;
}

// wire connects the buttons and the realtime events to the views.
function wire(): void {
  ui.start.addEventListener("click", () => void play(() => client.startGame({ mode: ui.mode.value })));
  ui.create.addEventListener("click", () => void createMatch());
  ui.join.addEventListener("click", () => void play(() => client.joinMatch({ code: ui.code.value.trim().toUpperCase() })));
  ui.begin.addEventListener("click", () => void beginMatch());
  client.on("game:state-change", onState);
  client.on("game:mole", (m) => {
    if (m.gameId === game?.id) holes.show(m);
  });
  client.on("game:hit", (h) => {
    if (h.gameId !== game?.id) return;
    holes.hide(h.hole, h.moleId);
    if (h.playerId === me) apply(h);
  });
  client.on("game:miss", (m) => {
    if (m.playerId === me) apply(m);
  });
  client.on("game:over", onOver);
  client.on("leaderboard:update", (u) => {
    if (u.leaderboardId !== board || u.mode !== boardMode) return;
    standings.top(u.scores, me);
    if (u.scores.some((s) => s.playerId === me)) void refreshRank();
  });
  client.on("badge:awarded", (b) => notice(`Badge earned: ${b.name} (${b.rarity})`));
  client.on("mint:status", (m) => notice(`Badge NFT mint ${m.status}${m.txHash ? ` (tx ${m.txHash})` : ""}`));
  ui.mode.addEventListener("change", () => {
    showBoard(board).catch((err: unknown) => status(`Could not read the leaderboard: ${failure(err)}`));
  });
  ui.period.addEventListener("change", () => {
    showBoard(ui.period.value as LeaderboardId).catch((err: unknown) => status(`Could not read the leaderboard: ${failure(err)}`));
  });
  ui.wallet.addEventListener("click", () => void signInWallet());
  client.on("close", ({ reconnecting }) => {
    if (!switching) status(reconnecting ? "Connection lost: reconnecting…" : "Disconnected. Reload the page to play.");
  });
  client.on("error", (e) => status(`Error: ${e.message}`));
}

// modeFromURL lets a link pick a mode (?mode=frenzy), one the list lacks included.
function modeFromURL(): void {
  const mode = new URLSearchParams(location.search).get("mode");
  if (!mode) return;
  if (![...ui.mode.options].some((o) => o.value === mode)) ui.mode.add(new Option(mode, mode));
  ui.mode.value = mode;
}

// showPlayer shows who plays: the player, and the wallet they signed in with.
function showPlayer(tokens: Tokens, wallet?: string): void {
  me = tokens.player.id;
  ui.player.dataset.playerId = me;
  ui.player.textContent = `Playing as ${tokens.player.username}`;
  if (!wallet) return;
  ui.player.dataset.wallet = wallet;
  ui.player.textContent += ` · StarkNet ${wallet.slice(0, 6)}…${wallet.slice(-4)}`;
}

// signInWallet signs in with the StarkNet wallet and plays on as its
// account: the socket reopens with the new token and the boards are read
// again. Refused or failed, the guest plays on.
async function signInWallet(): Promise<void> {
  const wallet = window.starknet;
  if (!wallet) return;
  setBusy(true);
  status("Confirm the sign-in in your wallet…");
  try {
    const { tokens, address } = await signInStarknet(auth, restClient, wallet);
    await reopen();
    showPlayer(tokens, address);
    ui.wallet.hidden = true;
    await showBoard(board);
    await showHistory();
    status("Signed in with your StarkNet wallet. Pick a mode and press Play solo.");
  } catch (err) {
    status(`Wallet sign-in failed: ${failure(err)}. You can play on as a guest.`);
  } finally {
    setBusy(false);
  }
}

// reopen closes the socket and opens it again with the current token;
// it waits for the close so the old socket's end cannot land on the new one.
async function reopen(): Promise<void> {
  if (client.connected) {
    switching = true;
    try {
      const closed = client.next("close");
      client.close();
      await closed;
    } finally {
      switching = false;
    }
  }
  await client.connect();
}

async function main(): Promise<void> {
  modeFromURL();
  wire();
  holes.reset(3, 3);
  ui.wallet.hidden = window.starknet === undefined;
  showPlayer(await auth.signInGuest(deviceId()));
  await client.connect();
  await showBoard(board);
  await showHistory();
  setBusy(false);
}

main().catch((err: unknown) => status(`Could not reach the node: ${failure(err)}`));
