package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Printf adapts a *slog.Logger to the Printf-style logger interface of
// libraries such as go-redis (Printf(ctx, format, args...)). Each line is
// written at one level with the format as its KindKey, so lines that differ
// only in their arguments are rate-limited as one kind.
type Printf struct {
	base   context.Context
	logger *slog.Logger
	level  slog.Level
}

// NewPrintf writes every line to logger at level; base stands in for a
// line the library logs without a context.
func NewPrintf(base context.Context, logger *slog.Logger, level slog.Level) *Printf {
	return &Printf{base: base, logger: logger, level: level}
}

// Printf logs one formatted line.
func (p *Printf) Printf(ctx context.Context, format string, args ...any) {
	if ctx == nil {
		ctx = p.base
	}
	if !p.logger.Enabled(ctx, p.level) {
		return
	}
	msg := strings.TrimSpace(fmt.Sprintf(format, args...))
	p.logger.LogAttrs(ctx, p.level, msg, slog.String(KindKey, format))
}

// StdWriter is an io.Writer for the standard log package (log.SetOutput):
// each written line becomes one record at level. Call log.SetFlags(0) so
// the line carries no second timestamp. The log package carries no context:
// every line is logged under base (the process's).
func StdWriter(base context.Context, logger *slog.Logger, level slog.Level) io.Writer {
	return stdWriter{base: base, logger: logger, level: level}
}

type stdWriter struct {
	base   context.Context
	logger *slog.Logger
	level  slog.Level
}

func (w stdWriter) Write(p []byte) (int, error) {
	msg := strings.TrimSpace(string(p))
	if msg != "" {
		w.logger.LogAttrs(w.base, w.level, msg)
	}
	return len(p), nil
}
