package standings

import (
	"strings"
	"time"
)

// Entry is one player's best standing on a board's period.
type Entry struct {
	PlayerID   string
	Username   string
	Score      int64
	AchievedAt time.Time
}

// Ranked is an Entry with its 1-based rank.
type Ranked struct {
	Rank int
	Entry
}

// Compare orders a before b (negative), after b (positive) or equal (zero,
// same player and position). Username does not take part: it is display data.
func Compare(a, b Entry) int {
	switch {
	case a.Score > b.Score:
		return -1
	case a.Score < b.Score:
		return 1
	}
	if c := a.AchievedAt.Compare(b.AchievedAt); c != 0 {
		return c
	}
	return strings.Compare(a.PlayerID, b.PlayerID)
}
