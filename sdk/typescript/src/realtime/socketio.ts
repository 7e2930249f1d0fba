import { io, type ManagerOptions, type SocketOptions } from "socket.io-client";

import type { ConnectError as ConnectErrorPayload, ConnectionClose } from "../generated/realtime.js";
import { ConnectError, errorFrom, Pending, type Link, type LinkHandlers, type OpenLink } from "./link.js";

/** socket.io-client options the SDK lets through (transports, path, …). */
export type SocketIoOptions = Partial<ManagerOptions & SocketOptions>;

/**
 * socketIoLink opens links to the Socket.IO gateway, namespace /realtime at
 * baseUrl, with the official socket.io-client. Its own reconnection is off:
 * the RealtimeClient decides from the close code, as for /ws.
 */
export function socketIoLink(baseUrl: string, options: SocketIoOptions = {}): OpenLink {
  const url = baseUrl.replace(/\/+$/, "") + "/realtime";
  return (token, handlers) => {
    const socket = io(url, { transports: ["websocket"], ...options, auth: { token }, reconnection: false, forceNew: true });
    return new Promise((resolve, reject) => {
      socket.once("connect", () => resolve(wire(socket, handlers)));
      socket.once("connect_error", (err: Error & { data?: Partial<ConnectErrorPayload["data"]> }) => {
        socket.close();
        reject(refusal(err));
      });
    });
  };
}

type Socket = ReturnType<typeof io>;

function wire(socket: Socket, handlers: LinkHandlers): Link {
  const pending = new Pending();
  let closing: ConnectionClose | undefined;
  socket.on("connection:close", (close: ConnectionClose) => (closing = close));
  socket.onAny((type: string, payload: unknown) => {
    if (type !== "connection:close") handlers.event(type, payload);
  });
  socket.on("disconnect", (reason) => {
    pending.failAll(`disconnected (${reason})`);
    if (reason === "io client disconnect") handlers.closed(1000, "closed by the client");
    else if (closing) handlers.closed(closing.code, closing.reason);
    else handlers.closed(1006, reason);
  });
  return {
    request(type, payload, timeoutMs) {
      const { id, answer } = pending.add(type, timeoutMs);
      socket.emit(type, payload, (reply: unknown) => {
        const error = (reply as { error?: unknown } | undefined)?.error;
        if (error) pending.fail(id, errorFrom(error));
        else pending.answer(id, reply);
      });
      return answer;
    },
    close: () => socket.disconnect(),
  };
}

// refusal classifies a CONNECT_ERROR by its stable data.code
// (docs/PROTOCOL.md §8a); one without data is a transport failure.
function refusal(err: Error & { data?: Partial<ConnectErrorPayload["data"]> }): ConnectError {
  switch (err.data?.code) {
    case "token_expired":
    case "unauthorized":
      return new ConnectError("auth", err.message);
    case "revoked":
    case "bad_request":
      return new ConnectError("fatal", err.message);
    default:
      return new ConnectError("retry", err.message);
  }
}
