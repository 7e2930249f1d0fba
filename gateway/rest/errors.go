package rest

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/proofstell/proofstell/actors/leaderboard"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
)

// Stable error codes; clients switch on them, so they never change meaning.
const (
	CodeBadRequest           = "bad_request"
	CodeValidationFailed     = "validation_failed"
	CodeUnauthorized         = "unauthorized"
	CodeTokenReused          = "token_reused"
	CodeTokenRevoked         = "token_revoked"
	CodeAccountBanned        = "account_banned"
	CodeForbidden            = "forbidden"
	CodeNotFound             = "not_found"
	CodeNotRanked            = "not_ranked"
	CodeUnknownMode          = "unknown_mode"
	CodeBoardNotFound        = "board_not_found"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeConflict             = "conflict"
	CodePayloadTooLarge      = "payload_too_large"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeRateLimited          = "rate_limited"
	CodeUnavailable          = "unavailable"
	CodeInternal             = "internal"
)

// apiError is an error that already knows its HTTP shape. Handlers return it
// for conditions they detect themselves (validation, not ranked); store and
// actor errors are classified by classify instead.
type apiError struct {
	Status  int
	Code    string
	Message string
	Details map[string]any
}

// Error returns the user-facing message.
func (e *apiError) Error() string { return e.Message }

// errorBody is the one error shape of the API.
type errorBody struct {
	Error errorPayload `json:"error"`
}

type errorPayload struct {
	Code      string         `json:"code"`
	Message   string         `json:"message"`
	Details   map[string]any `json:"details"`
	RequestID string         `json:"requestId"`
}

// newError builds an apiError without details.
func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

// badRequest reports an unusable parameter or body.
func badRequest(message, field string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: CodeBadRequest, Message: message,
		Details: map[string]any{"field": field}}
}

// invalid reports a well-formed body whose field breaks a rule.
func invalid(field, message string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: CodeValidationFailed, Message: message,
		Details: map[string]any{"field": field}}
}

// classify maps any error to its HTTP shape. It is the only place where store,
// token and actor errors meet HTTP, so every route answers the same way.
func classify(err error) *apiError {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.Is(err, persistence.ErrTokenReused):
		return newError(http.StatusUnauthorized, CodeTokenReused, "refresh token already used; sign in again")
	case errors.Is(err, auth.ErrRevoked):
		return newError(http.StatusUnauthorized, CodeTokenRevoked, "token revoked; sign in again")
	case errors.Is(err, auth.ErrBanned):
		return newError(http.StatusForbidden, CodeAccountBanned, "account banned")
	case errors.Is(err, auth.ErrRevocationUnavailable):
		return newError(http.StatusServiceUnavailable, CodeUnavailable, "service temporarily unavailable")
	case errors.Is(err, auth.ErrExpiredToken):
		return newError(http.StatusUnauthorized, CodeUnauthorized, "token expired")
	case errors.Is(err, auth.ErrInvalidToken):
		return newError(http.StatusUnauthorized, CodeUnauthorized, "invalid token")
	case errors.Is(err, leaderboard.ErrBadQuery):
		return newError(http.StatusBadRequest, CodeBadRequest, "invalid leaderboard query")
	case errors.Is(err, persistence.ErrBadCursor):
		return newError(http.StatusBadRequest, CodeBadRequest, "invalid cursor")
	case errors.Is(err, persistence.ErrNotFound):
		return newError(http.StatusNotFound, CodeNotFound, "not found")
	case errors.Is(err, persistence.ErrConflict):
		return newError(http.StatusConflict, CodeConflict, "conflict")
	case errors.Is(err, grains.ErrUnavailable), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, persistence.ErrQueueFull), errors.Is(err, persistence.ErrUnavailable):
		return newError(http.StatusServiceUnavailable, CodeUnavailable, "service temporarily unavailable")
	default:
		return newError(http.StatusInternalServerError, CodeInternal, "internal error")
	}
}

// unavailableRetryAfter is the Retry-After (seconds) of a 503 that set none
// itself: a dependency that is down is worth retrying shortly, not at once.
const unavailableRetryAfter = "2"

// writeError answers r with err in the error shape. Causes are logged, never
// sent: the client sees only the classified message.
func writeError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	ae := classify(err)
	if ae.Status >= http.StatusInternalServerError {
		level := slog.LevelError
		if ae.Status == http.StatusServiceUnavailable || errors.Is(err, context.Canceled) {
			level = slog.LevelWarn
		}
		logger.Log(r.Context(), level, "request failed", slog.String("code", ae.Code),
			slog.String("request_id", requestID(r.Context())), slog.Any("error", err))
	}
	if ae.Status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", unavailableRetryAfter)
	}
	details := ae.Details
	if details == nil {
		details = map[string]any{}
	}
	// The message speaks the request's language, keyed by code: a
	// translation is as general as its code, details keep the specifics.
	message := localeOf(r.Context()).text("errors", ae.Code, ae.Message)
	writeJSON(w, ae.Status, errorBody{Error: errorPayload{
		Code: ae.Code, Message: message, Details: details, RequestID: requestID(r.Context()),
	}})
}
