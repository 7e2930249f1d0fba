package logging

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
)

// lines is a concurrency-safe JSON log sink.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// records parses every written line; each must be one JSON object.
func (l *lines) records(t testing.TB) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), "not JSON: %s", line)
		out = append(out, rec)
	}
	return out
}

var start = time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)

func newLimited(t testing.TB, interval time.Duration) (*slog.Logger, *lines, *testclock.Clock) {
	t.Helper()
	out := &lines{}
	clk := testclock.New(start)
	json := slog.NewJSONHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})
	return slog.New(NewRateLimiter(json, RateOptions{Interval: interval, Now: clk.Now})), out, clk
}

// summary is one written record reduced to what the limiter decides.
type summary struct {
	Msg        string
	Suppressed float64
}

func summarize(recs []map[string]any) []summary {
	out := make([]summary, 0, len(recs))
	for _, r := range recs {
		s := summary{Msg: r["msg"].(string)}
		if n, ok := r[SuppressedKey].(float64); ok {
			s.Suppressed = n
		}
		out = append(out, s)
	}
	return out
}

func TestRateLimiter_Handle(t *testing.T) {
	t.Parallel()
	type step struct {
		advance time.Duration
		level   slog.Level
		msg     string
		kind    string
	}
	warn := func(advance time.Duration, msg string) step { return step{advance, slog.LevelWarn, msg, ""} }
	tests := []struct {
		name  string
		steps []step
		want  []summary
	}{
		{
			name:  "one line per interval, then the count",
			steps: []step{warn(0, "redis down"), warn(time.Second, "redis down"), warn(time.Second, "redis down"), warn(8*time.Second, "redis down")},
			want:  []summary{{"redis down", 0}, {"redis down", 2}},
		},
		{
			name:  "kinds are limited apart",
			steps: []step{warn(0, "a"), warn(0, "b"), warn(0, "a"), warn(0, "b")},
			want:  []summary{{"a", 0}, {"b", 0}},
		},
		{
			name: "the kind attribute groups formatted lines",
			steps: []step{
				{0, slog.LevelWarn, "dial 10.0.0.1 failed", "dial %s failed"},
				{time.Second, slog.LevelWarn, "dial 10.0.0.2 failed", "dial %s failed"},
			},
			want: []summary{{"dial 10.0.0.1 failed", 0}},
		},
		{
			name:  "levels are limited apart",
			steps: []step{warn(0, "request failed"), {0, slog.LevelError, "request failed", ""}},
			want:  []summary{{"request failed", 0}, {"request failed", 0}},
		},
		{
			name:  "below warn is never limited",
			steps: []step{{0, slog.LevelInfo, "request", ""}, {0, slog.LevelInfo, "request", ""}},
			want:  []summary{{"request", 0}, {"request", 0}},
		},
		{
			name:  "a kind that went quiet is summarized on the next line",
			steps: []step{warn(0, "a"), warn(time.Second, "a"), warn(time.Second, "a"), warn(20*time.Second, "b")},
			want:  []summary{{"a", 0}, {SuppressedMessage, 2}, {"b", 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logger, out, clk := newLimited(t, 10*time.Second)
			for _, s := range tt.steps {
				clk.Advance(s.advance)
				var attrs []any
				if s.kind != "" {
					attrs = append(attrs, KindKey, s.kind)
				}
				logger.Log(t.Context(), s.level, s.msg, attrs...)
			}
			require.Equal(t, tt.want, summarize(out.records(t)))
		})
	}
}

func TestRateLimiter_QuietSummaryNamesItsKind(t *testing.T) {
	t.Parallel()
	logger, out, clk := newLimited(t, time.Minute)
	for range 5 {
		logger.Warn("pubsub reconnect")
	}
	clk.Advance(time.Minute)
	logger.Warn("other")
	recs := out.records(t)
	require.Len(t, recs, 3)
	require.Equal(t, SuppressedMessage, recs[1]["msg"])
	require.Equal(t, "pubsub reconnect", recs[1][KindKey])
	require.Equal(t, "WARN", recs[1]["kind_level"])
	require.InDelta(t, 4, recs[1][SuppressedKey], 0)
}

func TestRateLimiter_DerivedLoggersShareLimits(t *testing.T) {
	t.Parallel()
	logger, out, _ := newLimited(t, time.Minute)
	logger.With(LibKey, "go-redis").Warn("down")
	logger.WithGroup("g").Warn("down")
	logger.Warn("down")
	recs := out.records(t)
	require.Len(t, recs, 1)
	require.Equal(t, "go-redis", recs[0][LibKey])
}

func TestRateLimiter_AuditEventsAreNeverLimited(t *testing.T) {
	t.Parallel()
	logger, out, _ := newLimited(t, time.Minute)
	for range 3 {
		logger.Warn("player updated by admin", EventKey, "security.admin_update")
	}
	require.Len(t, out.records(t), 3)
}

func TestRateLimiter_ZeroIntervalDisables(t *testing.T) {
	t.Parallel()
	logger, out, _ := newLimited(t, 0)
	for range 3 {
		logger.Error("same")
	}
	require.Len(t, out.records(t), 3)
}

func TestRateLimiter_BoundedKinds(t *testing.T) {
	t.Parallel()
	out := &lines{}
	clk := testclock.New(start)
	h := NewRateLimiter(slog.NewJSONHandler(out, nil), RateOptions{Interval: time.Minute, Now: clk.Now, MaxKinds: 2})
	logger := slog.New(h)
	for _, msg := range []string{"a", "b", "c", "c", "a"} {
		logger.Warn(msg)
	}
	require.Equal(t, []summary{{"a", 0}, {"b", 0}, {"c", 0}, {"c", 0}}, summarize(out.records(t)),
		"beyond MaxKinds records pass unlimited rather than vanish")
}
