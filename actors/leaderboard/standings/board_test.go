package standings

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseBoard(t *testing.T) {
	t.Parallel()
	for _, b := range append(Boards(), Challenge) {
		got, err := ParseBoard(string(b))
		require.NoError(t, err)
		require.Equal(t, b, got)
	}
	for _, bad := range []string{"", "Global", "yearly", "daily ", "all"} {
		_, err := ParseBoard(bad)
		require.ErrorIs(t, err, ErrUnknownBoard, bad)
	}
}

func TestBoard_PeriodKey(t *testing.T) {
	t.Parallel()
	plus14 := time.FixedZone("UTC+14", 14*3600)
	tests := []struct {
		name  string
		board Board
		at    time.Time
		want  string
	}{
		{"global", Global, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), "all"},
		{"daily", Daily, time.Date(2026, 11, 24, 23, 59, 59, 0, time.UTC), "2026-11-24"},
		{"daily uses utc", Daily, time.Date(2026, 11, 25, 5, 0, 0, 0, plus14), "2026-11-24"},
		{"weekly", Weekly, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), "2026-W48"},
		{"weekly 2026-12-31 is 2026-W53", Weekly, time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC), "2026-W53"},
		{"weekly 2027-01-01 still 2026-W53", Weekly, time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), "2026-W53"},
		{"weekly 2027-01-04 is 2027-W01", Weekly, time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), "2027-W01"},
		{"weekly 2020-12-31 is W53", Weekly, time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC), "2020-W53"},
		{"weekly 2024-12-30 is next year's W01", Weekly, time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC), "2025-W01"},
		{"weekly 2025-12-31 is 2026-W01", Weekly, time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), "2026-W01"},
		{"monthly", Monthly, time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), "2026-11"},
		{"monthly uses utc", Monthly, time.Date(2026, 12, 1, 1, 0, 0, 0, plus14), "2026-11"},
		{"unknown board", Board("yearly"), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"no clock names a challenge", Challenge, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.board.PeriodKey(tt.at)
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.want != "", tt.board.ValidPeriod(got))
		})
	}
}

func TestBoard_ValidPeriod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		board Board
		key   string
		want  bool
	}{
		{Global, "all", true},
		{Global, "ALL", false},
		{Global, "", false},
		{Daily, "2026-11-24", true},
		{Daily, "2024-02-29", true},
		{Daily, "2026-02-29", false},
		{Daily, "2026-11-4", false},
		{Daily, "2026-13-01", false},
		{Daily, "2026-11-24 ", false},
		{Daily, "all", false},
		{Weekly, "2026-W48", true},
		{Weekly, "2026-W53", true},
		{Weekly, "2020-W53", true},
		{Weekly, "2025-W53", false},
		{Weekly, "2026-W00", false},
		{Weekly, "2026-W54", false},
		{Weekly, "2026-W8", false},
		{Weekly, "2026-w48", false},
		{Weekly, "2026W048", false},
		{Weekly, "+026-W48", false},
		{Weekly, "2026-W+8", false},
		{Monthly, "2026-11", true},
		{Monthly, "2026-1", false},
		{Monthly, "2026-00", false},
		{Monthly, "2026-11-01", false},
		{Board("yearly"), "2026", false},
		{Challenge, "daily-2026-12-06", true},
		{Challenge, "winter-cup", true},
		{Challenge, "abcdefghijklmnopqrstuvwxyz01234", true}, // 31 bytes: a Cairo short string
		{Challenge, "abcdefghijklmnopqrstuvwxyz012345", false},
		{Challenge, "", false},
		{Challenge, "-cup", false},
		{Challenge, "Winter-Cup", false},
		{Challenge, "winter/cup", false},
		{Challenge, "2026-11-24 ", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.board)+"/"+tt.key, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, tt.board.ValidPeriod(tt.key))
		})
	}
}
