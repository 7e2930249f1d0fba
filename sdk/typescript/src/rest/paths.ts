// INTERIM: the few REST routes the realtime flow needs, declared in the
// shape openapi-typescript generates (`paths`, `components`), so that
// openapi-fetch types its calls the same way it will from the real thing.
// Replace this file with the output of `npm run generate:rest`
// (openapi-typescript ../../docs/openapi.yaml) once docs/openapi.yaml lands,
// and delete these declarations: src/rest keeps importing `paths` and
// `components` from here. Shapes follow docs/PROTOCOL.md §1 and §9.

type Json<T> = { content: { "application/json": T } };
type NoParameters = { query?: never; header?: never; path?: never; cookie?: never };
type ErrorResponses = { 400: Json<components["schemas"]["Error"]>; 401: Json<components["schemas"]["Error"]>; 429: Json<components["schemas"]["Error"]> };

/** Interim `components`, as openapi-typescript names them. */
export interface components {
  schemas: {
    Error: { error: { code: string; message: string; details?: unknown; requestId?: string } };
    Player: { id: string; username: string };
    TokenPair: { accessToken: string; refreshToken: string; expiresIn: number; player: components["schemas"]["Player"] };
    Standing: { rank: number; playerId: string; username: string; score: number; achievedAt: string };
    LeaderboardPage: {
      leaderboardId: "global" | "daily" | "weekly" | "monthly";
      period: string;
      entries: components["schemas"]["Standing"][];
      nextCursor?: string;
      total: number;
    };
    MyRank: { rank: number; score: number; total: number };
    Me: { id: string; username: string; [key: string]: unknown };
  };
}

/** Interim `paths`, as openapi-typescript names them. */
export interface paths {
  "/api/v1/auth/guest": {
    parameters: NoParameters;
    post: {
      parameters: NoParameters;
      requestBody: Json<{ deviceId: string }>;
      responses: { 200: Json<components["schemas"]["TokenPair"]> } & ErrorResponses;
    };
  };
  "/api/v1/auth/refresh": {
    parameters: NoParameters;
    post: {
      parameters: NoParameters;
      requestBody: Json<{ refreshToken: string }>;
      responses: { 200: Json<components["schemas"]["TokenPair"]> } & ErrorResponses;
    };
  };
  "/api/v1/auth/login": {
    parameters: NoParameters;
    post: {
      parameters: NoParameters;
      requestBody: Json<{ email: string; password: string }>;
      responses: { 200: Json<components["schemas"]["TokenPair"]> } & ErrorResponses;
    };
  };
  "/api/v1/leaderboards/{board}": {
    parameters: NoParameters;
    get: {
      parameters: {
        query?: { period?: string; limit?: number; cursor?: string };
        header?: never;
        path: { board: "global" | "daily" | "weekly" | "monthly" };
        cookie?: never;
      };
      requestBody?: never;
      responses: { 200: Json<components["schemas"]["LeaderboardPage"]> } & ErrorResponses;
    };
  };
  "/api/v1/leaderboards/{board}/me": {
    parameters: NoParameters;
    get: {
      parameters: { query?: never; header?: never; path: { board: "global" | "daily" | "weekly" | "monthly" }; cookie?: never };
      requestBody?: never;
      responses: { 200: Json<components["schemas"]["MyRank"]>; 404: Json<components["schemas"]["Error"]> } & ErrorResponses;
    };
  };
  "/api/v1/players/me": {
    parameters: NoParameters;
    get: {
      parameters: NoParameters;
      requestBody?: never;
      responses: { 200: Json<components["schemas"]["Me"]> } & ErrorResponses;
    };
  };
}
