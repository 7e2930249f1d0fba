package rest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
)

// encodingJSON is what writeJSON wrote for v before the hand encoder.
func encodingJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b) + "\n"
}

func TestAppendAround_MatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 8, 30, 1, 123456789, time.FixedZone("x", 3600))
	tests := []struct {
		name    string
		entries []standings.Ranked
		total   int
	}{
		{"empty", nil, 0},
		{"one", []standings.Ranked{{Rank: 1, Entry: standings.Entry{PlayerID: "p1", Username: "ann", Score: 42, AchievedAt: at}}}, 1},
		{"escapes and unicode", []standings.Ranked{
			{Rank: 7, Entry: standings.Entry{PlayerID: "a\"b\\c", Username: "<b>&\n\t\u2028é\x01\xff", Score: -3, AchievedAt: at.Truncate(time.Second)}},
			{Rank: 8, Entry: standings.Entry{PlayerID: "p8", Username: "", Score: 0, AchievedAt: time.Unix(0, 0)}},
		}, 1_000_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := encodingJSON(t, aroundResponse{LeaderboardID: "daily", Mode: "frenzy", Period: "2026-12-06",
				Entries: standingsJSON(tt.entries), Total: tt.total})
			k := standings.Key{Mode: "frenzy", Board: standings.Daily, Period: "2026-12-06"}
			require.Equal(t, want, string(appendAround(nil, k, tt.entries, tt.total)))
		})
	}
}
