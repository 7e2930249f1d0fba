import { ConnectError, errorFrom, Pending, type Link, type LinkHandlers, type OpenLink } from "./link.js";

/**
 * The part of the WHATWG WebSocket the native link uses; the browser's
 * WebSocket and the `ws` package both provide it.
 */
export interface WebSocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a WebSocket to url (the node's /ws) with an access token. */
export type WebSocketFactory = (url: string, token: string) => WebSocketLike;

/**
 * browserWebSocket uses the platform's WebSocket; the token goes in the
 * query string (`?token=`), since browsers cannot set headers on it.
 */
export const browserWebSocket: WebSocketFactory = (url, token) => {
  const WebSocketClass = (globalThis as { WebSocket?: new (url: string) => unknown }).WebSocket;
  if (!WebSocketClass) throw new Error("no global WebSocket: on Node.js import the SDK's node entry (@proofstell/sdk/node) or pass webSocket");
  return new WebSocketClass(`${url}?token=${encodeURIComponent(token)}`) as WebSocketLike;
};

/** nativeLink opens links to the native gateway, GET /ws at baseUrl. */
export function nativeLink(baseUrl: string, factory: WebSocketFactory): OpenLink {
  const url = baseUrl.replace(/^http/, "ws").replace(/\/+$/, "") + "/ws";
  return (token, handlers) => open(factory(url, token), handlers);
}

interface Frame {
  t: string;
  id?: number;
  d?: unknown;
}

function open(ws: WebSocketLike, handlers: LinkHandlers): Promise<Link> {
  const pending = new Pending();
  let opened = false;
  let failure = "";
  const link: Link = {
    request(type, payload, timeoutMs) {
      const { id, answer } = pending.add(type, timeoutMs);
      ws.send(JSON.stringify({ t: type, id, d: payload }));
      return answer;
    },
    close: () => ws.close(1000),
  };
  ws.onmessage = (event) => {
    const frame = parseFrame(event.data);
    if (frame) receive(frame, pending, handlers);
  };
  return new Promise((resolve, reject) => {
    ws.onopen = () => {
      opened = true;
      resolve(link);
    };
    ws.onerror = (event) => (failure = String((event as { message?: unknown }).message ?? ""));
    ws.onclose = (event) => {
      pending.failAll(`connection closed (${event.code})`);
      if (opened) handlers.closed(event.code, event.reason);
      else reject(refusal(failure));
    };
  });
}

// receive settles the request a frame answers, or hands the frame on as
// an event (unsolicited, or a later frame of an answered request).
function receive(frame: Frame, pending: Pending, handlers: LinkHandlers): void {
  if (frame.id !== undefined && pending.has(frame.id)) {
    if (frame.t === "error") pending.fail(frame.id, errorFrom(frame.d));
    else pending.answer(frame.id, frame.d);
    return;
  }
  handlers.event(frame.t, frame.d);
}

// parseFrame reads a text frame; the server sends only JSON envelopes,
// so anything else is dropped rather than thrown into the socket's loop.
function parseFrame(data: unknown): Frame | undefined {
  try {
    const frame = JSON.parse(String(data)) as Partial<Frame>;
    return typeof frame.t === "string" ? (frame as Frame) : undefined;
  } catch {
    return undefined;
  }
}

// refusal classifies an upgrade that failed. Only the `ws` package tells
// the HTTP status ("Unexpected server response: 401"); a browser says
// nothing, so a failure there is retried (with a token refreshed ahead of
// its expiry by the token source).
function refusal(message: string): ConnectError {
  const status = Number(/Unexpected server response: (\d+)/.exec(message)?.[1] ?? 0);
  if (status === 401) return new ConnectError("auth", "the access token was refused (401)");
  if (status === 403 || status === 400) return new ConnectError("fatal", `the upgrade was refused (${status})`);
  return new ConnectError("retry", message || "the WebSocket did not open");
}
