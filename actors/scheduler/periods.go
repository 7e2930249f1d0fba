package scheduler

import (
	"time"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
)

// closingBoards are the boards whose periods end; the global board's one
// period never does.
var closingBoards = []standings.Board{standings.Daily, standings.Weekly, standings.Monthly}

// periodStart is the UTC instant b's period containing t began: midnight,
// Monday midnight (ISO weeks) or the first of the month.
func periodStart(b standings.Board, t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch b {
	case standings.Weekly:
		sinceMonday := (int(day.Weekday()) + 6) % 7
		return day.AddDate(0, 0, -sinceMonday)
	case standings.Monthly:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	default:
		return day
	}
}

// nextStart is the start of the period after the one beginning at start.
func nextStart(b standings.Board, start time.Time) time.Time {
	switch b {
	case standings.Weekly:
		return start.AddDate(0, 0, 7)
	case standings.Monthly:
		return start.AddDate(0, 1, 0)
	default:
		return start.AddDate(0, 0, 1)
	}
}

// endedBetween lists the keys of b's periods that ended in (from, to], oldest
// first: a period ends at the instant the next one starts.
func endedBetween(b standings.Board, from, to time.Time) []string {
	var keys []string
	for start := periodStart(b, from); ; {
		end := nextStart(b, start)
		if end.After(to) {
			return keys
		}
		keys = append(keys, b.PeriodKey(start))
		start = end
	}
}

// previousEnd is just before the current period of b began, so that
// endedBetween(b, previousEnd(b, now), now) re-checks the period that ended
// last: a new leader catches up on a close its predecessor may have missed.
func previousEnd(b standings.Board, now time.Time) time.Time {
	return periodStart(b, now).Add(-time.Nanosecond)
}
