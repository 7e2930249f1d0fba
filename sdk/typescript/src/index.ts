// The ProofStell SDK: sign in over REST (Auth, with token refresh), read
// the REST API (Rest, openapi-fetch typed), and play over either realtime
// gateway (RealtimeClient). Types of every realtime message come from
// docs/asyncapi.yaml (src/generated/realtime.ts).
export * from "./errors.js";
export type * from "./generated/realtime.js";
export { clientMessageTypes, serverEventTypes } from "./generated/realtime.js";
export { Auth, type AuthOptions, type Tokens } from "./rest/auth.js";
export { createRestClient, Rest, unwrap, type RestClient } from "./rest/client.js";
export type * from "./rest/types.js";
export {
  isHit,
  RealtimeClient,
  type ClientEvents,
  type CloseEvent,
  type ReconnectOptions,
  type RealtimeOptions,
  type Transport,
  type WhackResult,
} from "./realtime/client.js";
export type { Handler } from "./realtime/emitter.js";
export { ConnectError, type ConnectFailure } from "./realtime/link.js";
export { browserWebSocket, type WebSocketFactory, type WebSocketLike } from "./realtime/native.js";
export type { SocketIoOptions } from "./realtime/socketio.js";
export * from "./fair/index.js";
