import type { ErrorCode } from "./generated/realtime.js";

/**
 * Why a realtime request failed: a protocol error code from the server
 * (docs/PROTOCOL.md §7), or one of the client's own: `timeout` (no answer
 * within the request timeout) and `disconnected` (the connection closed
 * before the answer came).
 */
export type RealtimeErrorCode = ErrorCode | "timeout" | "disconnected";

/** RealtimeError is a refused or unanswered realtime request. */
export class RealtimeError extends Error {
  override readonly name = "RealtimeError";

  /**
   * @param code switch on this, not on the message
   * @param retryAfterMs set with `busy`: wait this long before asking again (a return time the node spaced out; no jitter needed)
   */
  constructor(
    readonly code: RealtimeErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The REST error body: `{"error":{"code","message","details","requestId"}}`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

/** ApiError is a REST call answered with an error status. */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** fromResponse reads the error shape of a failed response (any body tolerated). */
  static async fromResponse(res: Response): Promise<ApiError> {
    const body: unknown = await res.json().catch(() => undefined);
    const e = isErrorBody(body) ? body.error : undefined;
    return new ApiError(res.status, e?.code ?? "http_" + res.status, e?.message ?? res.statusText, e?.details, e?.requestId);
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== "object" || body === null || !("error" in body)) return false;
  const e = (body as { error: unknown }).error;
  return typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string";
}
