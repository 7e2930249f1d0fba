// The REST types the SDK uses, each read off `paths` by route, method and
// status, so they survive whatever the OpenAPI document names its schemas.
// `paths` is generated from docs/openapi.yaml (`npm run generate:rest`, by
// openapi-typescript, into src/generated/rest.ts; a test fails when it is
// stale).
import type { paths } from "../generated/rest.js";

/** The JSON body of a route's 200 answer. */
export type OkBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer T } } };
}
  ? T
  : never;

/** The JSON body a route takes. */
export type RequestBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody: { content: { "application/json": infer T } };
}
  ? T
  : never;

export type { paths };

/** A token pair answered by every sign-in route and by refresh. */
export type TokenPair = OkBody<"/api/v1/auth/guest", "post">;

/** The player a token pair belongs to. */
export type Player = TokenPair["player"];

/** A page of a board's standings. */
export type LeaderboardPage = OkBody<"/api/v1/leaderboards/{board}", "get">;

/** The signed-in player's rank on a board. */
export type MyRank = OkBody<"/api/v1/leaderboards/{board}/me", "get">;

/** The signed-in player's profile and stats. */
export type Me = OkBody<"/api/v1/players/me", "get">;

/** A leaderboard board name. */
export type BoardName = paths["/api/v1/leaderboards/{board}"]["get"]["parameters"]["path"]["board"];

/** The query of a board's standings. */
export type LeaderboardQuery = NonNullable<paths["/api/v1/leaderboards/{board}"]["get"]["parameters"]["query"]>;
