package redis

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/logging"
	"github.com/proofstell/proofstell/internal/redact"
	"github.com/proofstell/proofstell/internal/redistest"
)

// logSink collects log output across goroutines.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *logSink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// TestSetLogger_OutageLogsOnlyRateLimitedJSON points a real client at a
// throwaway redis-server, stops it and keeps using the client: go-redis's
// own complaints must arrive as JSON records of the node's logger (not
// plain text on stderr), one per kind per interval. Not parallel: go-redis
// has one process-wide logger.
func TestSetLogger_OutageLogsOnlyRateLimitedJSON(t *testing.T) {
	srv := redistest.Start(t)
	sink := &logSink{}
	handler := logging.NewRateLimiter(redact.New(slog.NewJSONHandler(sink, nil)), logging.RateOptions{Interval: time.Hour})
	SetLogger(t.Context(), slog.New(handler))
	t.Cleanup(func() { SetLogger(context.Background(), slog.New(slog.DiscardHandler)) })

	c, err := Open(t.Context(), config.Redis{URL: srv.URL(), Prefix: newPrefix(t)})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	srv.Stop()
	require.Eventually(t, func() bool {
		require.Error(t, c.Ping(t.Context()))
		return strings.Contains(sink.String(), `"lib":"go-redis"`)
	}, 20*time.Second, 10*time.Millisecond, "go-redis logged nothing through the logger")
	for range 2 {
		require.Error(t, c.Ping(t.Context()))
	}
	// Back up, so go-redis's background redial ends before goleak looks.
	srv.Restart()
	require.Eventually(t, func() bool { return c.Ping(t.Context()) == nil }, 20*time.Second, 10*time.Millisecond)

	kinds := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(sink.String()), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), "not a JSON line: %q", line)
		require.Equal(t, "go-redis", rec[logging.LibKey], line)
		require.Equal(t, "WARN", rec["level"], line)
		kind, _ := rec[logging.KindKey].(string)
		require.NotEmpty(t, kind, line)
		kinds[kind]++
	}
	for kind, n := range kinds {
		require.Equal(t, 1, n, "kind %q written more than once within the interval", kind)
	}
}
