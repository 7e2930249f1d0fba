import createClient, { type Client } from "openapi-fetch";

import { ApiError, type ApiErrorBody } from "../errors.js";
import type { Auth } from "./auth.js";
import type { BoardName, LeaderboardPage, LeaderboardQuery, Me, MyRank, paths } from "./types.js";

/** A typed openapi-fetch client of the node's REST API (`GET`, `POST`, … by path). */
export type RestClient = Client<paths>;

/**
 * createRestClient returns a typed client whose calls carry auth's bearer
 * token and are retried once after a refresh when the token is refused.
 */
export function createRestClient(auth: Auth, baseUrl: string): RestClient {
  return createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, ""), fetch: (request) => auth.fetch(request) });
}

/**
 * Rest wraps a RestClient with the calls the realtime flow needs; each
 * resolves with the body or rejects with an ApiError.
 */
export class Rest {
  constructor(readonly client: RestClient) {}

  /** leaderboard reads a board's standings (top first); query.mode picks the ranked mode (classic when absent). */
  async leaderboard(board: BoardName, query: LeaderboardQuery = {}): Promise<LeaderboardPage> {
    return unwrap(await this.client.GET("/api/v1/leaderboards/{board}", { params: { path: { board }, query } }));
  }

  /**
   * myRank reads the signed-in player's rank on a board of mode (classic when
   * absent); ApiError not_ranked (404) when they have none, board_not_found
   * (404) for a practice mode.
   */
  async myRank(board: BoardName, mode?: string): Promise<MyRank> {
    const query = mode === undefined ? {} : { mode };
    return unwrap(await this.client.GET("/api/v1/leaderboards/{board}/me", { params: { path: { board }, query } }));
  }

  /** me reads the signed-in player's profile and stats. */
  async me(): Promise<Me> {
    return unwrap(await this.client.GET("/api/v1/players/me"));
  }
}

/** unwrap turns an openapi-fetch result into its data or an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  throw toApiError(result.response.status, result.error);
}

function toApiError(status: number, body: unknown): ApiError {
  const e = (body as Partial<ApiErrorBody> | undefined)?.error;
  return new ApiError(status, e?.code ?? `http_${status}`, e?.message ?? `HTTP ${status}`, e?.details, e?.requestId);
}
