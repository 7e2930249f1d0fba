// The SDK on Node.js (20 has no global WebSocket): the same API, with /ws
// opened by the `ws` package and the token sent as an Authorization header.
import WebSocket from "ws";

import { RealtimeClient as BaseRealtimeClient, type RealtimeOptions } from "./realtime/client.js";
import type { WebSocketFactory, WebSocketLike } from "./realtime/native.js";

export * from "./index.js";

/** nodeWebSocket opens /ws with the `ws` package and an Authorization header. */
export const nodeWebSocket: WebSocketFactory = (url, token) =>
  new WebSocket(url, { headers: { authorization: `Bearer ${token}` } }) as unknown as WebSocketLike;

/** RealtimeClient on Node.js: webSocket defaults to nodeWebSocket. */
export class RealtimeClient extends BaseRealtimeClient {
  constructor(options: RealtimeOptions) {
    super({ webSocket: nodeWebSocket, ...options });
  }
}
