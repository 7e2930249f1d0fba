import { ApiError } from "../errors.js";
import type { Player, TokenPair } from "./types.js";

/** A signed-in session: the token pair and when the access token expires. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Unix milliseconds when the access token expires (from `expiresIn`). */
  expiresAt: number;
  player: Player;
}

/** Options of an Auth. */
export interface AuthOptions {
  /** The node's origin, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Tokens kept from an earlier run (see onTokens). */
  tokens?: Tokens;
  /** Called with every new pair (sign-in, refresh) and with undefined on sign-out or a refused refresh: persist them here. */
  onTokens?: (tokens: Tokens | undefined) => void;
  /** The fetch to use (defaults to globalThis.fetch). */
  fetch?: (request: Request) => Promise<Response>;
  /** Refresh this long before the access token's expiry (default 30 s). */
  refreshSkewMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

// A 401 with one of these codes means the access token itself is no
// good (expired or unreadable): a refreshed one may pass. token_revoked,
// token_reused and the rest mean signing in again.
const staleTokenCodes = new Set(["unauthorized", "token_expired"]);

/**
 * Auth holds a player's tokens: it signs in, refreshes the access token
 * before it expires or once when a call is refused with 401 (rotating the
 * refresh token; concurrent calls share one refresh), and exposes `fetch`,
 * a fetch that adds the bearer token.
 */
export class Auth {
  #tokens: Tokens | undefined;
  #refreshing: Promise<Tokens> | undefined;
  readonly #baseUrl: string;
  readonly #fetch: (request: Request) => Promise<Response>;
  readonly #onTokens: ((tokens: Tokens | undefined) => void) | undefined;
  readonly #skewMs: number;
  readonly #now: () => number;

  constructor(options: AuthOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#tokens = options.tokens;
    this.#fetch = options.fetch ?? ((request) => globalThis.fetch(request));
    this.#onTokens = options.onTokens;
    this.#skewMs = options.refreshSkewMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  /** The current tokens, or undefined when signed out. */
  get tokens(): Tokens | undefined {
    return this.#tokens;
  }

  /** signInGuest signs a device in as a guest: the same deviceId always gets the same player. */
  signInGuest(deviceId: string): Promise<Tokens> {
    return this.signInWith("/api/v1/auth/guest", { deviceId });
  }

  /** signInEmail signs an email account in. */
  signInEmail(email: string, password: string): Promise<Tokens> {
    return this.signInWith("/api/v1/auth/login", { email, password });
  }

  /**
   * signInWith posts body to any sign-in route answering a token pair
   * (e.g. `/api/v1/auth/wallet/starknet/verify` with the signed challenge)
   * and keeps the pair.
   */
  async signInWith(path: string, body: unknown): Promise<Tokens> {
    return this.#keep(await this.#postForPair(path, body));
  }

  /** signOut forgets the tokens (call POST /api/v1/auth/logout first to revoke them). */
  signOut(): void {
    this.#set(undefined);
  }

  /**
   * accessToken returns a usable access token, refreshing it first when it
   * expires soon or when refresh is set (a server refused it).
   */
  async accessToken(options: { refresh?: boolean } = {}): Promise<string> {
    const tokens = this.#tokens;
    if (!tokens) throw new ApiError(401, "unauthorized", "not signed in");
    if (options.refresh || this.#now() >= tokens.expiresAt - this.#skewMs) return (await this.refresh()).accessToken;
    return tokens.accessToken;
  }

  /**
   * refresh trades the refresh token for a new pair. Calls made while one
   * is in flight share it: a refresh token is good for one use only, and
   * presenting it twice would revoke the whole session. A refused refresh
   * signs out.
   */
  refresh(): Promise<Tokens> {
    this.#refreshing ??= this.#refreshOnce().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /**
   * fetch sends a request with the bearer token. A 401 for a stale token
   * is retried once after a refresh (shared with any other call that saw the
   * same token refused). Relative URLs are resolved against baseUrl.
   */
  readonly fetch = async (input: Request | string, init?: RequestInit): Promise<Response> => {
    const request = typeof input === "string" ? new Request(this.#url(input), init) : input;
    const retry = request.clone();
    const sentWith = await this.accessToken();
    const res = await this.#send(request, sentWith);
    if (res.status !== 401 || !(await isStaleToken(res.clone()))) return res;
    const fresh = this.#tokens?.accessToken === sentWith ? (await this.refresh()).accessToken : await this.accessToken();
    return this.#send(retry, fresh);
  };

  async #refreshOnce(): Promise<Tokens> {
    const refreshToken = this.#tokens?.refreshToken;
    if (!refreshToken) throw new ApiError(401, "unauthorized", "not signed in");
    try {
      return this.#keep(await this.#postForPair("/api/v1/auth/refresh", { refreshToken }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.#set(undefined);
      throw err;
    }
  }

  #send(request: Request, accessToken: string): Promise<Response> {
    request.headers.set("authorization", `Bearer ${accessToken}`);
    return this.#fetch(request);
  }

  async #postForPair(path: string, body: unknown): Promise<TokenPair> {
    const res = await this.#fetch(
      new Request(this.#url(path), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    );
    if (!res.ok) throw await ApiError.fromResponse(res);
    return (await res.json()) as TokenPair;
  }

  #keep(pair: TokenPair): Tokens {
    const tokens: Tokens = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresAt: this.#now() + pair.expiresIn * 1000,
      player: pair.player,
    };
    this.#set(tokens);
    return tokens;
  }

  #set(tokens: Tokens | undefined): void {
    this.#tokens = tokens;
    this.#onTokens?.(tokens);
  }

  #url(path: string): string {
    return /^https?:\/\//.test(path) ? path : this.#baseUrl + path;
  }
}

async function isStaleToken(res: Response): Promise<boolean> {
  const err = await ApiError.fromResponse(res);
  return staleTokenCodes.has(err.code);
}
