package redis

import (
	"context"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"

	"github.com/proofstell/proofstell/internal/logging"
)

// SetLogger routes go-redis's own log lines (pool dial failures, dropped
// pub/sub connections: plain text on stderr by default) into logger at warn
// level, each with lib=go-redis and its format string as the rate-limiting
// kind. go-redis has one process-wide logger, so cmd calls this once at
// start-up, before any client is opened.
func SetLogger(base context.Context, logger *slog.Logger) {
	goredis.SetLogger(logging.NewPrintf(base, logger.With(slog.String(logging.LibKey, "go-redis")), slog.LevelWarn))
}
