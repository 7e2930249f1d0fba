import { RealtimeError } from "../errors.js";

/** What a link reports to the client that opened it. */
export interface LinkHandlers {
  /** An unsolicited server event (or a later frame of an answered request). */
  event(type: string, payload: unknown): void;
  /** The open connection closed, with the protocol's close code (1006 for a dropped connection). */
  closed(code: number, reason: string): void;
}

/** One open connection to a gateway, speaking requests and events. */
export interface Link {
  /** request sends a client message and resolves with its reply's payload, or rejects with a RealtimeError. */
  request(type: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  /** close ends the connection (code 1000); handlers.closed is called. */
  close(): void;
}

/** Opens a link with an access token; rejects with a ConnectError. */
export type OpenLink = (token: string, handlers: LinkHandlers) => Promise<Link>;

/**
 * Why a connection could not be opened: `auth` (the token was refused:
 * refresh it and try again), `fatal` (revoked, forbidden, malformed: do
 * not retry), `retry` (network, node unavailable: try again later).
 */
export type ConnectFailure = "auth" | "fatal" | "retry";

/** ConnectError is a connection the gateway refused or that never opened. */
export class ConnectError extends Error {
  override readonly name = "ConnectError";

  constructor(
    readonly kind: ConnectFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Pending tracks a link's requests awaiting an answer, so each ends exactly
 * once: answered, timed out, or failed when the link closes.
 */
export class Pending {
  #lastId = 0;
  readonly #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  /** add registers a request and returns its id and the promise of its answer. */
  add(type: string, timeoutMs: number): { id: number; answer: Promise<unknown> } {
    const id = ++this.#lastId;
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, new RealtimeError("timeout", `no answer to ${type} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.set(id, { resolve, reject, timer });
    });
    return { id, answer };
  }

  /** has reports whether id still awaits its answer. */
  has(id: number): boolean {
    return this.#waiting.has(id);
  }

  /** answer resolves id with a reply payload. */
  answer(id: number, payload: unknown): void {
    this.#take(id)?.resolve(payload);
  }

  /** fail rejects id. */
  fail(id: number, err: Error): void {
    this.#take(id)?.reject(err);
  }

  /** failAll rejects every waiting request (the link closed). */
  failAll(reason: string): void {
    for (const id of [...this.#waiting.keys()]) this.fail(id, new RealtimeError("disconnected", reason));
  }

  #take(id: number) {
    const w = this.#waiting.get(id);
    if (!w) return undefined;
    this.#waiting.delete(id);
    clearTimeout(w.timer);
    return w;
  }
}

/** errorFrom turns a protocol error payload ({code, message, retry_after_ms}) into a RealtimeError. */
export function errorFrom(payload: unknown): RealtimeError {
  const e = (payload ?? {}) as { code?: RealtimeError["code"]; message?: string; retry_after_ms?: number };
  return new RealtimeError(e.code ?? "internal", e.message ?? "refused", e.retry_after_ms);
}
