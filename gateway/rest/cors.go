package rest

import (
	"log/slog"
	"net/http"
	"strings"
)

// CORS response values. Browsers cache a preflight for corsMaxAge seconds.
const (
	corsMethods       = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
	corsHeaders       = "Authorization, Content-Type, X-Request-ID"
	corsExposeHeaders = "X-Request-ID"
	corsMaxAge        = "600"
)

// corsPolicy is the allowlist from config.HTTP.AllowedOrigins.
type corsPolicy struct {
	origins map[string]bool
	// any is set by a "*" entry: every origin is allowed, but then without
	// credentials, since browsers forbid wildcard with credentials and
	// reflecting any origin with credentials would defeat the allowlist.
	any    bool
	logger *slog.Logger
}

// newCORS builds the policy; origins are compared case-insensitively
// without a trailing slash, the form browsers send.
func newCORS(allowed []string, logger *slog.Logger) corsPolicy {
	p := corsPolicy{origins: map[string]bool{}, logger: logger}
	for _, o := range allowed {
		o = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(o)), "/")
		if o == "*" {
			p.any = true
			continue
		}
		if o != "" {
			p.origins[o] = true
		}
	}
	return p
}

// handler answers preflights itself and decorates allowed cross-origin
// requests; a denied origin gets no CORS headers, so the browser blocks it.
func (p corsPolicy) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Vary on every response: a cached answer to a request without
		// Origin must not be served to a cross-origin one, or vice versa.
		w.Header().Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		allowed, credentials := p.allows(origin)
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if allowed {
			p.decorate(w, origin, credentials)
		}
		if !preflight {
			next.ServeHTTP(w, r)
			return
		}
		if !allowed {
			writeError(w, r, p.logger, newError(http.StatusForbidden, CodeForbidden, "origin not allowed"))
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Methods", corsMethods)
		h.Set("Access-Control-Allow-Headers", corsHeaders)
		h.Set("Access-Control-Max-Age", corsMaxAge)
		w.WriteHeader(http.StatusNoContent)
	})
}

// allows reports whether origin may call us and whether with credentials.
func (p corsPolicy) allows(origin string) (allowed, credentials bool) {
	if p.origins[strings.ToLower(origin)] {
		return true, true
	}
	return p.any, false
}

// decorate sets the response headers of an allowed origin.
func (p corsPolicy) decorate(w http.ResponseWriter, origin string, credentials bool) {
	h := w.Header()
	if credentials {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	} else {
		h.Set("Access-Control-Allow-Origin", "*")
	}
	h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
}
