package rest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"
)

// headerRequestID carries the request id in and out.
const headerRequestID = "X-Request-ID"

// validRequestID bounds what we accept from a client: it ends up in logs and
// response headers, so it must be short and free of control characters.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._\-]{1,64}$`)

// requestInfo is filled as the request passes the middleware stack so the
// outer access log can report what inner layers learned (who the user is).
type requestInfo struct {
	ID       string
	PlayerID string
}

type infoKey struct{}

// infoFrom returns the request's info; a zero value outside the stack.
func infoFrom(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// requestID returns the request id of ctx.
func requestID(ctx context.Context) string { return infoFrom(ctx).ID }

// withRequestID adopts a sane incoming X-Request-ID (so a trace spans the
// proxy and us) or generates one, and echoes it on the response.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(headerRequestID)
		if !validRequestID.MatchString(id) {
			id = uuid.NewString()
		}
		w.Header().Set(headerRequestID, id)
		ctx := context.WithValue(r.Context(), infoKey{}, &requestInfo{ID: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// observe logs every request and records its metrics once the handler is
// done, labelled by chi's route pattern so raw paths never become labels.
func (a *api) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := a.now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		route := routePattern(r)
		elapsed := a.now().Sub(start)
		a.metrics.observe(route, r.Method, status, elapsed)
		info := infoFrom(r.Context())
		a.logger.LogAttrs(r.Context(), slog.LevelInfo, "http request",
			slog.String("request_id", info.ID), slog.String("user_id", info.PlayerID),
			slog.String("route", route), slog.String("method", r.Method),
			slog.Int("status", status), slog.Int("bytes", ww.BytesWritten()),
			slog.Duration("duration", elapsed))
	})
}

// routePattern is the matched chi pattern, or "unmatched" for 404s so
// scanners probing random paths cannot blow up metric cardinality.
func routePattern(r *http.Request) string {
	if rctx := chi.RouteContext(r.Context()); rctx != nil {
		if p := rctx.RoutePattern(); p != "" && p != "/*" && p != "/api/v1/*" {
			return p
		}
	}
	return "unmatched"
}

// recoverPanics turns a handler panic into a logged 500 in the error shape,
// so one bad request never takes the node down or leaks a stack trace.
func (a *api) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if err, ok := rec.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(rec) // net/http's deliberate abort: let it through
			}
			a.logger.ErrorContext(r.Context(), "handler panic",
				slog.String("request_id", requestID(r.Context())),
				slog.String("panic", fmt.Sprint(rec)), slog.String("stack", string(debug.Stack())))
			if ww, ok := w.(middleware.WrapResponseWriter); ok && ww.Status() != 0 {
				return // headers already sent; nothing sane left to write
			}
			writeError(w, r, a.logger, newError(http.StatusInternalServerError, CodeInternal, "internal error"))
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders is set before the handler runs so error responses carry it
// too. The API serves JSON only, hence the locked-down CSP.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// withTimeout bounds how long an API handler may wait on actors and stores;
// the deadline flows into every store and grain call through the context.
func withTimeout(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if d <= 0 {
				next.ServeHTTP(w, r)
				return
			}
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
