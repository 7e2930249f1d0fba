package standings

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Board is a leaderboard's period kind.
type Board string

// Boards.
const (
	Global  Board = "global"
	Daily   Board = "daily"
	Weekly  Board = "weekly"
	Monthly Board = "monthly"
	// Challenge is the board of one challenge: its periods are challenge
	// ids, not time spans, so no clock names one (PeriodKey is "") and only
	// a challenge's own games reach it.
	Challenge Board = "challenge"
)

// GlobalPeriod is the one period key of the all-time board.
const GlobalPeriod = "all"

// Period key layouts (UTC).
const (
	dayLayout   = "2006-01-02"
	monthLayout = "2006-01"
)

// ErrUnknownBoard is returned (wrapped) by ParseBoard.
var ErrUnknownBoard = errors.New("unknown board")

// challengeID is what a challenge id may look like: it is the period of
// the challenge's board and travels as an on-chain root's period, a Cairo
// short string, so it is at most 31 bytes, lowercase and slash-free.
var challengeID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,30}$`)

// ValidChallengeID reports whether id is a well-formed challenge id.
func ValidChallengeID(id string) bool { return challengeID.MatchString(id) }

// Boards lists the boards every ranked game reaches, in a stable order: the
// timed ones. A challenge's board is not among them.
func Boards() []Board { return []Board{Global, Daily, Weekly, Monthly} }

// ParseBoard maps a board name to its Board, the challenge board included.
func ParseBoard(s string) (Board, error) {
	for _, b := range append(Boards(), Challenge) {
		if string(b) == s {
			return b, nil
		}
	}
	return "", fmt.Errorf("parse board %q: %w", s, ErrUnknownBoard)
}

// PeriodKey names the period containing t, in UTC: "all", "2026-11-24",
// ISO week "2026-W48", or "2026-11". The challenge board (whose periods no
// clock names) and an unknown board yield "".
func (b Board) PeriodKey(t time.Time) string {
	t = t.UTC()
	switch b {
	case Global:
		return GlobalPeriod
	case Daily:
		return t.Format(dayLayout)
	case Weekly:
		year, week := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", year, week)
	case Monthly:
		return t.Format(monthLayout)
	}
	return ""
}

// ValidPeriod reports whether key is a well-formed period of the board,
// exactly as PeriodKey would print it (no missing zeros, no week 53 in a
// 52-week year).
func (b Board) ValidPeriod(key string) bool {
	switch b {
	case Global:
		return key == GlobalPeriod
	case Daily:
		return roundTrips(dayLayout, key)
	case Weekly:
		return validISOWeek(key)
	case Monthly:
		return roundTrips(monthLayout, key)
	case Challenge:
		return ValidChallengeID(key)
	}
	return false
}

// roundTrips parses key and checks it prints back identically, which
// rejects every non-canonical spelling time.Parse would tolerate.
func roundTrips(layout, key string) bool {
	t, err := time.Parse(layout, key)
	return err == nil && t.Format(layout) == key
}

// validISOWeek checks "YYYY-Www" with a week that exists in that ISO year.
func validISOWeek(key string) bool {
	if len(key) != 8 || key[4:6] != "-W" || !digits(key[:4]) || !digits(key[6:]) {
		return false
	}
	year, _ := strconv.Atoi(key[:4])
	week, _ := strconv.Atoi(key[6:])
	return week >= 1 && week <= isoWeeksIn(year)
}

// isoWeeksIn is 52 or 53: December 28 always falls in the year's last week.
func isoWeeksIn(year int) int {
	_, week := time.Date(year, time.December, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return week
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
