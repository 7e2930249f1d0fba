package logging

import (
	"context"
	"log/slog"
	"slices"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// NewZap returns a *zap.Logger whose every entry is written to logger (for
// libraries that take a zap logger, such as the etcd client). zap levels
// map to slog's; DPanic, Panic and Fatal become errors (zap itself still
// panics or exits after writing them).
func NewZap(base context.Context, logger *slog.Logger) *zap.Logger {
	return zap.New(&zapCore{base: base, handler: logger.Handler()})
}

// zapCore is a zapcore.Core writing to a slog.Handler. zap carries no
// context: every entry is handled under base (the node's).
type zapCore struct {
	base    context.Context
	handler slog.Handler
}

var _ zapcore.Core = (*zapCore)(nil)

// Enabled asks the slog handler.
func (c *zapCore) Enabled(level zapcore.Level) bool {
	return c.handler.Enabled(c.base, slogLevel(level))
}

// With binds fields as slog attributes.
func (c *zapCore) With(fields []zapcore.Field) zapcore.Core {
	return &zapCore{base: c.base, handler: c.handler.WithAttrs(zapAttrs(fields))}
}

// Check adds the core when the level is enabled.
func (c *zapCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

// Write hands the entry to the slog handler as one record.
func (c *zapCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	r := slog.NewRecord(e.Time, slogLevel(e.Level), e.Message, 0)
	if e.LoggerName != "" {
		r.AddAttrs(slog.String("logger", e.LoggerName))
	}
	r.AddAttrs(zapAttrs(fields)...)
	return c.handler.Handle(c.base, r)
}

// Sync has nothing to flush: the slog handler writes at once.
func (c *zapCore) Sync() error { return nil }

// zapAttrs renders zap fields as slog attributes, sorted by key.
func zapAttrs(fields []zapcore.Field) []slog.Attr {
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range fields {
		f.AddTo(enc)
	}
	attrs := make([]slog.Attr, 0, len(enc.Fields))
	for k, v := range enc.Fields {
		attrs = append(attrs, slog.Any(k, v))
	}
	slices.SortFunc(attrs, func(a, b slog.Attr) int {
		switch {
		case a.Key < b.Key:
			return -1
		case a.Key > b.Key:
			return 1
		}
		return 0
	})
	return attrs
}

func slogLevel(l zapcore.Level) slog.Level {
	switch {
	case l <= zapcore.DebugLevel:
		return slog.LevelDebug
	case l == zapcore.InfoLevel:
		return slog.LevelInfo
	case l == zapcore.WarnLevel:
		return slog.LevelWarn
	default:
		return slog.LevelError
	}
}
