package ws

import (
	"context"
	"log/slog"
)

// deferAttrs is a slog.Handler that keeps the attributes of With as they are
// and hands them to its base handler only when a record is written. Each
// connection's logger carries its player id; formatting that eagerly (what
// the JSON and text handlers do) costs every socket about a kilobyte that an
// idle socket, which logs nothing, never uses.
type deferAttrs struct {
	base  slog.Handler
	attrs []slog.Attr
}

// Enabled asks the base handler.
func (d deferAttrs) Enabled(ctx context.Context, level slog.Level) bool {
	return d.base.Enabled(ctx, level)
}

// Handle writes r through the base handler with the deferred attributes.
func (d deferAttrs) Handle(ctx context.Context, r slog.Record) error {
	return d.resolve().Handle(ctx, r)
}

// WithAttrs defers attrs too.
func (d deferAttrs) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return d
	}
	return deferAttrs{base: d.base, attrs: append(d.attrs[:len(d.attrs):len(d.attrs)], attrs...)}
}

// WithGroup resolves the deferred attributes first: they belong outside the
// group.
func (d deferAttrs) WithGroup(name string) slog.Handler {
	return deferAttrs{base: d.resolve().WithGroup(name)}
}

func (d deferAttrs) resolve() slog.Handler {
	if len(d.attrs) == 0 {
		return d.base
	}
	return d.base.WithAttrs(d.attrs)
}
