package logging

import (
	"log"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

func TestPrintf_FormatIsTheKind(t *testing.T) {
	t.Parallel()
	logger, out, _ := newLimited(t, time.Minute)
	p := NewPrintf(t.Context(), logger.With(LibKey, "go-redis"), slog.LevelWarn)
	p.Printf(t.Context(), "redis: discarding bad PubSub connection: %s", "dial tcp 127.0.0.1:1: connection refused")
	p.Printf(t.Context(), "redis: discarding bad PubSub connection: %s", "EOF")
	recs := out.records(t)
	require.Len(t, recs, 1)
	require.Equal(t, "redis: discarding bad PubSub connection: dial tcp 127.0.0.1:1: connection refused", recs[0]["msg"])
	require.Equal(t, "WARN", recs[0]["level"])
	require.Equal(t, "go-redis", recs[0][LibKey])
}

func TestStdWriter_OneRecordPerLine(t *testing.T) {
	t.Parallel()
	logger, out, _ := newLimited(t, time.Minute)
	std := log.New(StdWriter(t.Context(), logger, slog.LevelWarn), "", 0)
	std.Printf("plain text from a library")
	recs := out.records(t)
	require.Len(t, recs, 1)
	require.Equal(t, "plain text from a library", recs[0]["msg"])
	require.Equal(t, "WARN", recs[0]["level"])
}

func TestGRPC_Levels(t *testing.T) {
	t.Parallel()
	logger, out, _ := newLimited(t, time.Minute)
	g := NewGRPC(t.Context(), logger)
	g.Infof("[core] channel %d connectivity %s", 1, "READY")
	g.Warningf("[transport] dial %s failed", "127.0.0.1:1")
	g.Warningf("[transport] dial %s failed", "127.0.0.1:2")
	g.Error("[core] fatal-ish")
	require.True(t, g.V(0))
	require.False(t, g.V(2))
	require.Equal(t, []summary{
		{"[core] channel 1 connectivity READY", 0},
		{"[transport] dial 127.0.0.1:1 failed", 0},
		{"[core] fatal-ish", 0},
	}, summarize(out.records(t)))
	levels := []any{}
	for _, r := range out.records(t) {
		levels = append(levels, r["level"])
	}
	require.Equal(t, []any{"DEBUG", "WARN", "ERROR"}, levels)
}

func TestNewZap_WritesToSlog(t *testing.T) {
	t.Parallel()
	logger, out, _ := newLimited(t, time.Minute)
	z := NewZap(t.Context(), logger.With(LibKey, "etcd")).Named("etcd-client").With(zap.String("endpoint", "127.0.0.1:2379"))
	z.Warn("retrying of unary invoker failed", zap.Int("attempt", 1), zap.Error(errString("unavailable")))
	z.Debug("quiet")
	z.Warn("retrying of unary invoker failed", zap.Int("attempt", 2))
	recs := out.records(t)
	require.Len(t, recs, 2, "debug passes (below warn), the repeated warning is limited")
	require.Equal(t, "retrying of unary invoker failed", recs[0]["msg"])
	require.Equal(t, "WARN", recs[0]["level"])
	require.Equal(t, "etcd", recs[0][LibKey])
	require.Equal(t, "etcd-client", recs[0]["logger"])
	require.Equal(t, "127.0.0.1:2379", recs[0]["endpoint"])
	require.InDelta(t, 1, recs[0]["attempt"], 0)
	require.Equal(t, "unavailable", recs[0]["error"])
	require.Equal(t, "DEBUG", recs[1]["level"])
}

type errString string

func (e errString) Error() string { return string(e) }
