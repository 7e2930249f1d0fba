package logging

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"google.golang.org/grpc/grpclog"
)

// GRPC adapts a *slog.Logger to grpclog.LoggerV2 (install it with
// grpclog.SetLoggerV2 before any gRPC use; protoactor's remote and the etcd
// client speak gRPC). gRPC's info lines (connectivity changes, resolver
// updates) are debug here; warnings and errors keep their level.
type GRPC struct {
	base   context.Context
	logger *slog.Logger
}

var _ grpclog.LoggerV2 = (*GRPC)(nil)

// NewGRPC writes gRPC's log to logger. gRPC's logger carries no context:
// every line is logged under base (the process's).
func NewGRPC(base context.Context, logger *slog.Logger) *GRPC {
	return &GRPC{base: base, logger: logger}
}

func (g *GRPC) print(level slog.Level, kind string, msg string) {
	if !g.logger.Enabled(g.base, level) {
		return
	}
	g.logger.LogAttrs(g.base, level, strings.TrimSpace(msg), slog.String(KindKey, kind))
}

func (g *GRPC) printArgs(level slog.Level, args []any) {
	msg := fmt.Sprint(args...)
	g.print(level, msg, msg)
}

// Info logs at debug level.
func (g *GRPC) Info(args ...any) { g.printArgs(slog.LevelDebug, args) }

// Infoln logs at debug level.
func (g *GRPC) Infoln(args ...any) { g.printArgs(slog.LevelDebug, args) }

// Infof logs at debug level.
func (g *GRPC) Infof(format string, args ...any) {
	g.print(slog.LevelDebug, format, fmt.Sprintf(format, args...))
}

// Warning logs at warn level.
func (g *GRPC) Warning(args ...any) { g.printArgs(slog.LevelWarn, args) }

// Warningln logs at warn level.
func (g *GRPC) Warningln(args ...any) { g.printArgs(slog.LevelWarn, args) }

// Warningf logs at warn level.
func (g *GRPC) Warningf(format string, args ...any) {
	g.print(slog.LevelWarn, format, fmt.Sprintf(format, args...))
}

// Error logs at error level.
func (g *GRPC) Error(args ...any) { g.printArgs(slog.LevelError, args) }

// Errorln logs at error level.
func (g *GRPC) Errorln(args ...any) { g.printArgs(slog.LevelError, args) }

// Errorf logs at error level.
func (g *GRPC) Errorf(format string, args ...any) {
	g.print(slog.LevelError, format, fmt.Sprintf(format, args...))
}

// Fatal logs at error level and exits, as grpclog requires.
func (g *GRPC) Fatal(args ...any) { g.printArgs(slog.LevelError, args); os.Exit(1) }

// Fatalln logs at error level and exits, as grpclog requires.
func (g *GRPC) Fatalln(args ...any) { g.printArgs(slog.LevelError, args); os.Exit(1) }

// Fatalf logs at error level and exits, as grpclog requires.
func (g *GRPC) Fatalf(format string, args ...any) {
	g.print(slog.LevelError, format, fmt.Sprintf(format, args...))
	os.Exit(1)
}

// V reports whether verbosity level l is logged: only level 0, the
// default; gRPC's verbose levels are for debugging gRPC itself.
func (g *GRPC) V(l int) bool { return l <= 0 }
