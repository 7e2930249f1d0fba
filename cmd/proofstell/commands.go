package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc/grpclog"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/logging"
	"github.com/proofstell/proofstell/internal/redact"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/redis"
)

// loadConfig reads and validates the configuration once, listing every
// problem together.
func loadConfig(getenv func(string) string) (config.Config, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return cfg, fmt.Errorf("load config: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("invalid config:\n%w", err)
	}
	return cfg, nil
}

// prepareDatabase creates the database when allowed and applies migrations.
func prepareDatabase(ctx context.Context, cfg config.Database, logger *slog.Logger) error {
	if cfg.CreateIfMissing {
		if err := postgres.EnsureDatabase(ctx, cfg.URL); err != nil {
			return fmt.Errorf("ensure database: %w", err)
		}
	}
	applied, err := postgres.Migrate(ctx, cfg.URL)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if len(applied) > 0 {
		logger.Info("migrations applied", slog.Any("versions", applied))
	}
	return nil
}

func migrate(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	return prepareDatabase(ctx, cfg.Database, newLogger(cfg.LogLevel, cfg.LogRateInterval, stderr))
}

// checkConfig validates the configuration and lists the warnings serve
// would log with it.
func checkConfig(getenv func(string) string, stdout io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	for _, w := range cfg.Warnings() {
		if _, err := fmt.Fprintln(stdout, "warning:", w); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintln(stdout, "config ok")
	return err
}

// newLogger builds the JSON logger; unknown levels fall back to info. Warn
// and error lines are rate-limited per kind (one per rateInterval, then a
// count), so a dependency outage cannot flood the log.
func newLogger(level string, rateInterval time.Duration, w io.Writer) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		l = slog.LevelInfo
	}
	if w == nil {
		w = os.Stderr
	}
	// Every record passes the redactor: passwords, tokens, keys and emails
	// never reach the log, whoever logs them.
	json := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})
	return slog.New(logging.NewRateLimiter(redact.New(json), logging.RateOptions{Interval: rateInterval}))
}

// routeLibraryLogs sends every library's own logging through logger, the
// node's JSON, redacting, rate-limited one: go-redis (plain text on stderr
// by default), gRPC (protoactor's remote and the etcd client; plain text on
// stderr by default) and the standard log package. protoactor and the etcd
// client get logger where they are built (actors/runtime/node); pgx logs nothing
// without a tracer, and the node configures none. Call it once, first;
// ctx is the process's: those libraries log without a context of their own.
func routeLibraryLogs(ctx context.Context, logger *slog.Logger) {
	redis.SetLogger(ctx, logger)
	grpclog.SetLoggerV2(logging.NewGRPC(ctx, logger.With(slog.String(logging.LibKey, "grpc"))))
	log.SetFlags(0)
	log.SetOutput(logging.StdWriter(ctx, logger.With(slog.String(logging.LibKey, "log")), slog.LevelWarn))
}
