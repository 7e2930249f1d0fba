import { RealtimeError } from "../errors.js";
import type {
  BeginMatch,
  ClientMessages,
  CreateAck,
  CreateMatch,
  EmptyAck,
  Hit,
  JoinMatch,
  LeaderboardId,
  Miss,
  Pong,
  Replies,
  ResumeGame,
  ServerEvents,
  SessionAck,
  StartGame,
  SubscribeGame,
  Whack,
} from "../generated/realtime.js";
import { Emitter, type Handler } from "./emitter.js";
import { ConnectError, type Link, type OpenLink } from "./link.js";
import { browserWebSocket, nativeLink, type WebSocketFactory } from "./native.js";
import { socketIoLink, type SocketIoOptions } from "./socketio.js";

/** Which gateway to speak: the native `/ws` or Socket.IO `/realtime`. */
export type Transport = "ws" | "socketio";

/** How the client reconnects after a close the protocol says to recover from. */
export interface ReconnectOptions {
  /** Attempts before giving up (default 10). */
  maxAttempts?: number;
  /** The first wait; each next one doubles, with jitter (default 200 ms). */
  baseDelayMs?: number;
  /** The longest wait (default 5 s; also the first wait after a 4008 flood close). */
  maxDelayMs?: number;
}

/** Options of a RealtimeClient. */
export interface RealtimeOptions {
  /** The node's origin, e.g. `http://127.0.0.1:3000`. */
  url: string;
  transport: Transport;
  /**
   * Returns an access token for each connection attempt; refresh is set
   * when the gateway refused the last one (expired). `auth.accessToken`
   * of the SDK's Auth fits.
   */
  getToken: (options: { refresh: boolean }) => Promise<string>;
  /** How long a request waits for its answer (default 10 s). */
  requestTimeoutMs?: number;
  /** Reconnection, or false for none. */
  reconnect?: ReconnectOptions | false;
  /** Opens the /ws WebSocket (default: the platform's; the node entry uses `ws`). */
  webSocket?: WebSocketFactory;
  /** socket.io-client options (e.g. `transports`). */
  socketIo?: SocketIoOptions;
}

/** The close of a connection, with the protocol's code (docs/PROTOCOL.md §8; 1006: dropped). */
export interface CloseEvent {
  code: number;
  reason: string;
  /** Whether the client is reconnecting (and will resume the game in progress). */
  reconnecting: boolean;
}

/** Every event a RealtimeClient emits: the server's, plus the connection's own. */
export interface ClientEvents extends ServerEvents {
  /** A connection opened (reconnect: after a close). */
  open: { reconnect: boolean };
  close: CloseEvent;
  /** The game in progress was resumed after a reconnect. */
  resumed: SessionAck;
}

/** A whack's answer: a Hit or a Miss (tell them apart with isHit). */
export type WhackResult = Hit | Miss;

/** isHit tells a scoring whack from a miss. */
export function isHit(result: WhackResult): result is Hit {
  return "points" in result;
}

// Close codes after which reconnecting cannot help (§8): normal closure,
// unsupported data, policy (banned), too big, revoked.
const finalCloseCodes = new Set([1000, 1003, 1008, 1009, 4003]);
const codeTokenExpired = 4001;
const codeFlood = 4008;

/**
 * RealtimeClient speaks the realtime protocol over either gateway with one
 * API: typed requests that resolve with the reply or reject with a
 * RealtimeError, typed events, and reconnection with `game:resume` of the
 * game in progress after a close the protocol says to recover from.
 */
export class RealtimeClient {
  readonly #events = new Emitter<ClientEvents>();
  readonly #open: OpenLink;
  readonly #options: RealtimeOptions;
  readonly #timeoutMs: number;
  #link: Link | undefined;
  #closed = false;
  #sessionId: string | undefined;

  constructor(options: RealtimeOptions) {
    this.#options = options;
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#open =
      options.transport === "ws"
        ? nativeLink(options.url, options.webSocket ?? browserWebSocket)
        : socketIoLink(options.url, options.socketIo);
  }

  /** The game this client is in (started, joined, created or resumed), until it ends. */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** Whether a connection is open. */
  get connected(): boolean {
    return this.#link !== undefined;
  }

  /**
   * connect opens the connection; a token the gateway refuses is refreshed
   * once. It rejects with a ConnectError.
   */
  async connect(): Promise<void> {
    this.#closed = false;
    try {
      await this.#connectWith(false);
    } catch (err) {
      if (!(err instanceof ConnectError && err.kind === "auth")) throw err;
      await this.#connectWith(true);
    }
    this.#events.emit("open", { reconnect: false });
  }

  /** close ends the connection for good (no reconnect). */
  close(): void {
    this.#closed = true;
    this.#link?.close();
  }

  /** on adds a handler of a server event or of open, close, resumed; it returns the remover. */
  on<K extends keyof ClientEvents>(type: K, handler: Handler<ClientEvents[K]>): () => void {
    return this.#events.on(type, handler);
  }

  /** off removes a handler. */
  off<K extends keyof ClientEvents>(type: K, handler: Handler<ClientEvents[K]>): void {
    this.#events.off(type, handler);
  }

  /**
   * next resolves with the next event of type that matches, or rejects
   * with a RealtimeError `timeout` after timeoutMs (default: the request
   * timeout). Call it before the action that causes the event.
   */
  next<K extends keyof ClientEvents>(type: K, match: (payload: ClientEvents[K]) => boolean = () => true, timeoutMs = this.#timeoutMs): Promise<ClientEvents[K]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new RealtimeError("timeout", `no ${String(type)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(type, (payload) => {
        if (!match(payload)) return;
        clearTimeout(timer);
        off();
        resolve(payload);
      });
    });
  }

  /** request sends any client message and resolves with its reply. */
  async request<T extends keyof ClientMessages>(type: T, payload: ClientMessages[T]): Promise<Replies[T]> {
    const link = this.#link;
    if (!link) throw new RealtimeError("disconnected", `not connected: ${type} not sent`);
    const reply = (await link.request(type, payload, this.#timeoutMs)) as Replies[T];
    this.#track(type, reply);
    return reply;
  }

  /** startGame starts a solo game. */
  startGame(payload: StartGame): Promise<SessionAck> {
    return this.request("game:start", payload);
  }

  /** createMatch opens a match; share the code it answers. */
  createMatch(payload: CreateMatch): Promise<CreateAck> {
    return this.request("game:create", payload);
  }

  /** joinMatch joins a match by its code. */
  joinMatch(payload: JoinMatch): Promise<SessionAck> {
    return this.request("game:join", payload);
  }

  /** beginMatch starts a match before it is full (creator only). */
  beginMatch(payload: BeginMatch): Promise<EmptyAck> {
    return this.request("game:begin", payload);
  }

  /** whack whacks a hole; it resolves with the hit or the miss. */
  whack(payload: Whack): Promise<WhackResult> {
    return this.request("game:whack", payload);
  }

  /** resumeGame re-attaches to a game: its ack, or its game:over / final state when it ended. */
  resumeGame(payload: ResumeGame): Promise<Replies["game:resume"]> {
    return this.request("game:resume", payload);
  }

  /** subscribeGame follows a game's game:state-change events. */
  subscribeGame(payload: SubscribeGame): Promise<EmptyAck> {
    return this.request("game:subscribe", payload);
  }

  /**
   * subscribeLeaderboard receives the leaderboard:update and
   * leaderboard:period-closed events of a mode's board (classic when mode is
   * absent).
   */
  subscribeLeaderboard(leaderboardId: LeaderboardId, mode?: string): Promise<EmptyAck> {
    return this.request("leaderboard:subscribe", mode === undefined ? { leaderboardId } : { leaderboardId, mode });
  }

  /** unsubscribeLeaderboard stops a mode's board's events (classic when mode is absent). */
  unsubscribeLeaderboard(leaderboardId: LeaderboardId, mode?: string): Promise<EmptyAck> {
    return this.request("leaderboard:unsubscribe", mode === undefined ? { leaderboardId } : { leaderboardId, mode });
  }

  /** ping asks the server's clock. */
  ping(): Promise<Pong> {
    return this.request("ping", {});
  }

  async #connectWith(refresh: boolean): Promise<void> {
    const token = await this.#options.getToken({ refresh });
    this.#link = await this.#open(token, {
      event: (type, payload) => this.#onEvent(type, payload),
      closed: (code, reason) => this.#onClosed(code, reason),
    });
  }

  #onEvent(type: string, payload: unknown): void {
    const event = type as keyof ServerEvents;
    if (event === "game:over" && (payload as ServerEvents["game:over"]).gameId === this.#sessionId) this.#sessionId = undefined;
    if (event === "game:state-change") {
      const change = payload as ServerEvents["game:state-change"];
      if (change.state === "ended" && change.gameId === this.#sessionId) this.#sessionId = undefined;
    }
    this.#events.emit(event, payload as ServerEvents[typeof event]);
  }

  #onClosed(code: number, reason: string): void {
    this.#link = undefined;
    const reconnecting = !this.#closed && this.#options.reconnect !== false && !finalCloseCodes.has(code);
    this.#events.emit("close", { code, reason, reconnecting });
    if (reconnecting) void this.#reconnect(code);
  }

  // #reconnect tries again with backoff until a connection opens, then
  // resumes the game in progress; it gives up on a fatal refusal or after
  // maxAttempts, with a final close event.
  async #reconnect(code: number): Promise<void> {
    const options = this.#options.reconnect || {};
    const maxAttempts = options.maxAttempts ?? 10;
    let refresh = code === codeTokenExpired;
    let lastError = "";
    for (let attempt = 1; attempt <= maxAttempts && !this.#closed; attempt++) {
      await delay(backoff(attempt, code === codeFlood, options));
      if (this.#closed) return;
      try {
        await this.#connectWith(refresh);
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        if (err instanceof ConnectError && err.kind === "fatal") break;
        refresh = err instanceof ConnectError && err.kind === "auth";
        continue;
      }
      if (this.#closed) {
        this.#link?.close(); // closed by the user while this attempt was opening
        return;
      }
      this.#events.emit("open", { reconnect: true });
      await this.#resume();
      return;
    }
    if (!this.#closed) this.#events.emit("close", { code, reason: `reconnect failed: ${lastError}`, reconnecting: false });
  }

  // #resume re-attaches to the game in progress (§6a). A game that ended
  // meanwhile answers with its game:over or final state, handed on as the
  // events they would have been.
  async #resume(): Promise<void> {
    const sessionId = this.#sessionId;
    if (!sessionId) return;
    try {
      const reply = await this.resumeGame({ sessionId });
      if ("results" in reply) this.#onEvent("game:over", reply);
      else if ("state" in reply) this.#onEvent("game:state-change", reply);
      else this.#events.emit("resumed", reply);
    } catch (err) {
      // Closed again meanwhile: the next reconnect resumes. Refused: the
      // game is gone for this player, said as the server's error event.
      if (!(err instanceof RealtimeError) || err.code === "disconnected" || err.code === "timeout") return;
      this.#sessionId = undefined;
      this.#events.emit("error", { code: err.code, message: err.message });
    }
  }

  // #track remembers the game a reply put this client in.
  #track(type: keyof ClientMessages, reply: unknown): void {
    const joined = type === "game:start" || type === "game:create" || type === "game:join" || type === "game:resume";
    const sessionId = (reply as { sessionId?: unknown }).sessionId;
    if (joined && typeof sessionId === "string") this.#sessionId = sessionId;
  }
}

function backoff(attempt: number, flood: boolean, options: ReconnectOptions): number {
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 5_000;
  const wait = flood ? max : Math.min(max, base * 2 ** (attempt - 1));
  return wait / 2 + Math.random() * (wait / 2);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
