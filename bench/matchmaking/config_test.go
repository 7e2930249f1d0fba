package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, c config)
	}{
		{name: "defaults: issue #15's 10,000 players over 60 s", check: func(t *testing.T, c config) {
			require.Equal(t, 10_000, c.Players)
			require.Equal(t, 60*time.Second, c.Duration)
			require.InDelta(t, 166.67, c.rate(), 0.01)
			require.Equal(t, 6*time.Millisecond, c.every())
			require.Equal(t, 2, c.Size)
			require.Equal(t, "classic", c.Mode)
			require.Equal(t, "mm-bench-000042", c.deviceID(42))
		}},
		{name: "a loopback database", args: []string{"-db", "postgres://postgres@127.0.0.1/proofstell_bench"}, check: func(t *testing.T, c config) {
			require.Equal(t, "postgres://postgres@127.0.0.1/proofstell_bench", c.DB)
		}},
		{name: "a remote database is refused", args: []string{"-db", "postgres://postgres@192.0.2.1:5432/x"}, wantErr: "not a loopback"},
		{name: "a remote server is refused", args: []string{"-addr", "192.0.2.1:3000"}, wantErr: "not a loopback"},
		{name: "match size", args: []string{"-size", "9"}, wantErr: "-size must be 2..8"},
		{name: "players", args: []string{"-players", "1"}, wantErr: "-players must be in 2..60000"},
		{name: "durations", args: []string{"-duration", "0s", "-idle", "-1s"}, wantErr: "-duration and -timeout must be positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseConfig(context.Background(), tc.args, io.Discard)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			tc.check(t, c)
		})
	}
}

func TestParseStat(t *testing.T) {
	t.Parallel()
	// A command name with a space and a parenthesis: fields count from the last ')'.
	raw := []byte("4242 (post gres) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 1 0 100 0 0\n")
	cpu, comm, err := parseStat(raw)
	require.NoError(t, err)
	require.Equal(t, "post gres) x", comm)
	require.Equal(t, 325*clockTick, cpu)
	_, _, err = parseStat([]byte("4242 (short) S 1 2"))
	require.Error(t, err)
}

func TestSpreadOf(t *testing.T) {
	t.Parallel()
	skill := map[string]float64{"a": 3, "b": -1.5, "c": 10}
	require.InDelta(t, 11.5, spreadOf([]string{"a", "b", "c"}, skill), 1e-9)
	require.InDelta(t, 0.0, spreadOf([]string{"a"}, skill), 1e-9)
	require.InDelta(t, 0.0, spreadOf(nil, skill), 1e-9)
}

func TestSummarizeRatings(t *testing.T) {
	t.Parallel()
	s := summarizeRatings([]float64{4, 1, 3, 2})
	require.Equal(t, 4, s.Count)
	require.InDelta(t, 2.5, s.Mean, 1e-9)
	require.InDelta(t, 1.0, s.Min, 1e-9)
	require.InDelta(t, 2.0, s.P50, 1e-9)
	require.InDelta(t, 4.0, s.P99, 1e-9)
	require.InDelta(t, 4.0, s.Max, 1e-9)
	require.Equal(t, ratingSummary{}, summarizeRatings(nil))
}

func TestParseCounters(t *testing.T) {
	t.Parallel()
	before := parseCounters(strings.NewReader(`# HELP proofstell_admission_shed_total New games refused with busy.
# TYPE proofstell_admission_shed_total counter
proofstell_admission_shed_total{reason="opening"} 1
proofstell_matchmaking_matches_formed_total{mode="classic"} 10
go_goroutines 42
`))
	after := parseCounters(strings.NewReader(`proofstell_admission_shed_total{reason="opening"} 3
proofstell_matchmaking_matches_formed_total{mode="classic"} 510
proofstell_matchmaking_tickets_rejected_total{code="busy"} 0
`))
	require.Equal(t, []string{"`proofstell_admission_shed_total{reason=\"opening\"}` +2", "`proofstell_matchmaking_matches_formed_total{mode=\"classic\"}` +500"},
		after.grown(before))
}
