package standings

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func entry(player string, score int64, after time.Duration) Entry {
	return Entry{PlayerID: player, Username: "u-" + player, Score: score, AchievedAt: t0.Add(after)}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b Entry
		want int
	}{
		{"higher score first", entry("b", 10, time.Hour), entry("a", 9, 0), -1},
		{"lower score after", entry("a", 9, 0), entry("b", 10, time.Hour), 1},
		{"tie: earlier first", entry("z", 10, 0), entry("a", 10, time.Second), -1},
		{"tie: later after", entry("a", 10, time.Second), entry("z", 10, 0), 1},
		{"full tie: player id", entry("a", 10, 0), entry("b", 10, 0), -1},
		{"same key", entry("a", 10, 0), Entry{PlayerID: "a", Score: 10, AchievedAt: t0}, 0},
		{"negative scores", entry("a", -1, 0), entry("b", -5, 0), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, Compare(tt.a, tt.b))
		})
	}
}

func TestIndex_Offer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		offers  []Entry
		changed []bool
		want    []string // player ids in rank order
		best    Entry    // entry kept for player "a"
	}{
		{
			name:    "first offer inserts",
			offers:  []Entry{entry("a", 5, 0)},
			changed: []bool{true},
			want:    []string{"a"},
			best:    entry("a", 5, 0),
		},
		{
			name:    "higher score replaces",
			offers:  []Entry{entry("a", 5, 0), entry("a", 7, time.Minute)},
			changed: []bool{true, true},
			want:    []string{"a"},
			best:    entry("a", 7, time.Minute),
		},
		{
			name:    "equal score reached earlier replaces, as in the store",
			offers:  []Entry{entry("a", 5, 0), entry("a", 5, -time.Minute)},
			changed: []bool{true, true},
			want:    []string{"a"},
			best:    entry("a", 5, -time.Minute),
		},
		{
			name:    "equal score reached later is ignored",
			offers:  []Entry{entry("a", 5, 0), entry("a", 5, time.Minute)},
			changed: []bool{true, false},
			want:    []string{"a"},
			best:    entry("a", 5, 0),
		},
		{
			name: "same position, new name: renamed in place",
			offers: []Entry{entry("a", 5, 0), entry("b", 9, 0),
				{PlayerID: "a", Username: "renamed", Score: 5, AchievedAt: t0}},
			changed: []bool{true, true, true},
			want:    []string{"b", "a"},
			best:    Entry{PlayerID: "a", Username: "renamed", Score: 5, AchievedAt: t0},
		},
		{
			name:    "same position, same or empty name: nothing",
			offers:  []Entry{entry("a", 5, 0), entry("a", 5, 0), {PlayerID: "a", Score: 5, AchievedAt: t0}},
			changed: []bool{true, false, false},
			want:    []string{"a"},
			best:    entry("a", 5, 0),
		},
		{
			name:    "lower score with a new name: ignored",
			offers:  []Entry{entry("a", 5, 0), {PlayerID: "a", Username: "x", Score: 4, AchievedAt: t0}},
			changed: []bool{true, false},
			want:    []string{"a"},
			best:    entry("a", 5, 0),
		},
		{
			name:    "lower score ignored",
			offers:  []Entry{entry("a", 5, 0), entry("a", 1, time.Minute)},
			changed: []bool{true, false},
			want:    []string{"a"},
			best:    entry("a", 5, 0),
		},
		{
			name:    "empty player id ignored",
			offers:  []Entry{entry("a", 5, 0), entry("", 9, 0)},
			changed: []bool{true, false},
			want:    []string{"a"},
			best:    entry("a", 5, 0),
		},
		{
			name:    "improvement moves up past ties",
			offers:  []Entry{entry("a", 5, 0), entry("b", 6, 0), entry("c", 6, time.Second), entry("a", 6, -time.Second)},
			changed: []bool{true, true, true, true},
			want:    []string{"a", "b", "c"},
			best:    entry("a", 6, -time.Second),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ix := NewIndex(1)
			for i, e := range tt.offers {
				require.Equal(t, tt.changed[i], ix.Offer(e), "offer %d", i)
			}
			require.Equal(t, tt.want, playerIDs(ix.Top(100)))
			_, got, ok := ix.Rank("a")
			require.True(t, ok)
			require.Equal(t, tt.best, got)
		})
	}
}

func TestIndex_Around(t *testing.T) {
	t.Parallel()
	ix := NewIndex(7)
	for i, id := range []string{"a", "b", "c", "d", "e", "f"} {
		ix.Offer(entry(id, int64(100-i), 0))
	}
	tests := []struct {
		name   string
		player string
		radius int
		want   []string
	}{
		{"middle", "c", 1, []string{"b", "c", "d"}},
		{"leader clipped above", "a", 2, []string{"a", "b", "c"}},
		{"last clipped below", "f", 2, []string{"d", "e", "f"}},
		{"radius zero", "d", 0, []string{"d"}},
		{"negative radius", "d", -3, []string{"d"}},
		{"radius beyond board", "c", 100, []string{"a", "b", "c", "d", "e", "f"}},
		{"unknown player", "zz", 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ix.Around(tt.player, tt.radius)
			require.Equal(t, tt.want, playerIDs(got))
			for i := 1; i < len(got); i++ {
				require.Equal(t, got[i-1].Rank+1, got[i].Rank)
			}
		})
	}
}

func TestIndex_Range(t *testing.T) {
	t.Parallel()
	ix := NewIndex(3)
	for i, id := range []string{"a", "b", "c", "d"} {
		ix.Offer(entry(id, int64(10-i), 0))
	}
	tests := []struct {
		name     string
		from, n  int
		want     []string
		wantRank int
	}{
		{"from start", 1, 2, []string{"a", "b"}, 1},
		{"middle", 2, 2, []string{"b", "c"}, 2},
		{"past end clipped", 3, 10, []string{"c", "d"}, 3},
		{"from zero clamps", 0, 1, []string{"a"}, 1},
		{"beyond board", 5, 1, nil, 0},
		{"zero count", 1, 0, nil, 0},
		{"huge count", 1, 1 << 60, []string{"a", "b", "c", "d"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ix.Range(tt.from, tt.n)
			require.Equal(t, tt.want, playerIDs(got))
			if len(got) > 0 {
				require.Equal(t, tt.wantRank, got[0].Rank)
			}
		})
	}
}

func TestIndex_After(t *testing.T) {
	t.Parallel()
	ix := NewIndex(5)
	for i, id := range []string{"a", "b", "c", "d"} {
		ix.Offer(entry(id, int64(10-i), 0))
	}
	tests := []struct {
		name string
		key  Entry
		want []string
	}{
		{"after present entry", entry("b", 9, 0), []string{"c", "d"}},
		{"after absent key between", entry("bb", 9, 0), []string{"c", "d"}},
		{"before everything", entry("x", 1000, 0), []string{"a", "b"}},
		{"after last", entry("d", 7, 0), nil},
		{"tie broken by time", entry("zz", 9, -time.Second), []string{"b", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, playerIDs(ix.After(tt.key, 2)))
		})
	}
}

func TestIndex_Empty(t *testing.T) {
	t.Parallel()
	ix := NewIndex(0)
	require.Zero(t, ix.Len())
	_, ok := ix.At(1)
	require.False(t, ok)
	_, _, ok = ix.Rank("a")
	require.False(t, ok)
	require.Empty(t, ix.Top(10))
	require.Empty(t, ix.After(entry("a", 1, 0), 10))
	require.Empty(t, ix.Around("a", 3))
}

func playerIDs(rs []Ranked) []string {
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.PlayerID)
	}
	return ids
}
