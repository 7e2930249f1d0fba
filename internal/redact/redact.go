// Package redact keeps secrets and personal data out of logs. Handler wraps
// any slog.Handler and rewrites every record before it is written:
//
//   - attributes whose key names a secret or an email (password, token,
//     secret, authorization, cookie, private key, signature, email, …) are
//     replaced by "[REDACTED]" whatever their value, including groups;
//   - inside any other string (the message included), email addresses,
//     JWTs, "Bearer …" credentials and PEM private-key blocks are masked.
//
// It is installed once in cmd around the node's handler, so a careless log
// line anywhere (a request body, an error that echoes input) cannot leak.
package redact

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
)

// Mask replaces every redacted value.
const Mask = "[REDACTED]"

// secretKeyParts are key fragments (lower-case, separators removed) that
// mark an attribute as secret.
var secretKeyParts = []string{
	"password", "passwd", "pwd", "secret", "token", "authorization", "cookie",
	"privatekey", "privkey", "apikey", "signature", "email", "mail", "jwt", "otp", "nonce",
}

// valuePatterns mask secrets embedded in free text.
var valuePatterns = []*regexp.Regexp{
	regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)`),
	regexp.MustCompile(`(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+`),
	regexp.MustCompile(`\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`),
	regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`),
}

// Handler is a redacting slog.Handler.
type Handler struct {
	next slog.Handler
}

// New wraps next.
func New(next slog.Handler) *Handler { return &Handler{next: next} }

// Enabled defers to the wrapped handler.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle redacts the message and every attribute, then passes the record on.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, String(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(Attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs redacts attributes bound to a derived logger.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = Attr(a)
	}
	return &Handler{next: h.next.WithAttrs(clean)}
}

// WithGroup keeps redacting inside the group.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name)}
}

// Attr returns a with its value redacted as the package rules say.
func Attr(a slog.Attr) slog.Attr {
	if SecretKey(a.Key) {
		return slog.String(a.Key, Mask)
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = Attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindString:
		return slog.String(a.Key, String(v.String()))
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, String(err.Error()))
		}
		if s := v.String(); String(s) != s {
			return slog.String(a.Key, String(s))
		}
		return slog.Attr{Key: a.Key, Value: v}
	default:
		return slog.Attr{Key: a.Key, Value: v}
	}
}

// SecretKey reports whether an attribute key names a secret.
func SecretKey(key string) bool {
	k := strings.ToLower(strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(key))
	for _, part := range secretKeyParts {
		if strings.Contains(k, part) {
			return true
		}
	}
	return false
}

// String masks secrets embedded in free text.
func String(s string) string {
	for _, re := range valuePatterns {
		s = re.ReplaceAllString(s, Mask)
	}
	return s
}
