package scheduler

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEndedBetween(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		from, to string
		want     map[standings.Board][]string
	}{
		{name: "same day", from: "2026-11-24T00:00:00Z", to: "2026-11-24T23:59:59.999Z", want: map[standings.Board][]string{}},
		{name: "midnight", from: "2026-11-24T23:59:59Z", to: "2026-11-25T00:00:00Z",
			want: map[standings.Board][]string{standings.Daily: {"2026-11-24"}}},
		{name: "ISO week ends Sunday midnight", from: "2026-11-29T23:59:59Z", to: "2026-11-30T00:00:01Z",
			want: map[standings.Board][]string{standings.Daily: {"2026-11-29"}, standings.Weekly: {"2026-W48"}}},
		{name: "month end", from: "2026-11-30T23:59:59Z", to: "2026-12-01T00:00:01Z",
			want: map[standings.Board][]string{standings.Daily: {"2026-11-30"}, standings.Monthly: {"2026-11"}}},
		{name: "year end inside ISO week 53", from: "2026-12-31T23:59:59Z", to: "2027-01-01T00:00:01Z",
			want: map[standings.Board][]string{standings.Daily: {"2026-12-31"}, standings.Monthly: {"2026-12"}}},
		{name: "ISO week 53 ends in January", from: "2027-01-03T23:00:00Z", to: "2027-01-04T01:00:00Z",
			want: map[standings.Board][]string{standings.Daily: {"2027-01-03"}, standings.Weekly: {"2026-W53"}}},
		{name: "leap day", from: "2028-02-28T12:00:00Z", to: "2028-03-01T12:00:00Z",
			want: map[standings.Board][]string{standings.Daily: {"2028-02-28", "2028-02-29"}, standings.Monthly: {"2028-02"}}},
		{name: "missed ticks catch up in order", from: "2026-11-24T12:00:00Z", to: "2026-11-26T12:00:00Z",
			want: map[standings.Board][]string{standings.Daily: {"2026-11-24", "2026-11-25"}}},
		{name: "zone of the input is ignored", from: "2026-11-25T00:30:00+01:00", to: "2026-11-25T00:30:00Z",
			want: map[standings.Board][]string{standings.Daily: {"2026-11-24"}}},
		{name: "clock went backwards", from: "2026-11-25T00:00:01Z", to: "2026-11-24T23:00:00Z", want: map[standings.Board][]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := map[standings.Board][]string{}
			for _, b := range closingBoards {
				if keys := endedBetween(b, at(tc.from), at(tc.to)); len(keys) > 0 {
					got[b] = keys
				}
			}
			require.Equal(t, tc.want, got)
		})
	}
}

// TestPeriodStart_AgreesWithPeriodKey checks every hour of a span that
// crosses month, year and ISO week-53 boundaries: the start of t's period has
// t's key, and the instant before it has another.
func TestPeriodStart_AgreesWithPeriodKey(t *testing.T) {
	t.Parallel()
	for ts := at("2026-12-20T00:30:00Z"); ts.Before(at("2027-01-20T00:00:00Z")); ts = ts.Add(time.Hour) {
		for _, b := range closingBoards {
			start := periodStart(b, ts)
			require.Equal(t, b.PeriodKey(ts), b.PeriodKey(start), "%s %s", b, ts)
			require.NotEqual(t, b.PeriodKey(ts), b.PeriodKey(start.Add(-time.Nanosecond)), "%s %s", b, ts)
			require.Equal(t, b.PeriodKey(nextStart(b, start).Add(-time.Nanosecond)), b.PeriodKey(ts), "%s %s", b, ts)
		}
	}
}

func TestPreviousEnd(t *testing.T) {
	t.Parallel()
	now := at("2026-11-25T10:00:00Z") // a Wednesday
	want := map[standings.Board][]string{
		standings.Daily:   {"2026-11-24"},
		standings.Weekly:  {"2026-W47"},
		standings.Monthly: {"2026-10"},
	}
	for _, b := range closingBoards {
		require.Equal(t, want[b], endedBetween(b, previousEnd(b, now), now), b)
	}
}
