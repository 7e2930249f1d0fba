package main

import (
	"github.com/proofstell/proofstell/internal/redact"

	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence/postgres"
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
	return prepareDatabase(ctx, cfg.Database, newLogger(cfg.LogLevel, stderr))
}

func checkConfig(getenv func(string) string, stdout io.Writer) error {
	if _, err := loadConfig(getenv); err != nil {
		return err
	}
	_, err := fmt.Fprintln(stdout, "config ok")
	return err
}

// newLogger builds the JSON logger; unknown levels fall back to info.
func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		l = slog.LevelInfo
	}
	if w == nil {
		w = os.Stderr
	}
	// Every record passes the redactor: passwords, tokens, keys and emails
	// never reach the log, whoever logs them.
	return slog.New(redact.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})))
}
