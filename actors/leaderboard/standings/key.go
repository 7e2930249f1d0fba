package standings

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// DefaultMode is the mode of a board query that names none: the boards
// clients knew before leaderboards were per mode are classic's.
const DefaultMode = "classic"

// modeName is what a mode name may look like: short, lowercase and
// slash-free, so it fits board identities and an on-chain root's short
// string ("<mode>/monthly" in 31 bytes). persistence.ModeNamePattern is the
// same rule for the stores (a rules package imports no store; a test keeps
// the two equal).
var modeName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,22}$`)

// ValidMode reports whether name is a well-formed mode name.
func ValidMode(name string) bool { return modeName.MatchString(name) }

// ModeNamePattern is the mode name rule as a regular expression.
func ModeNamePattern() string { return modeName.String() }

// ErrBadKey is returned (wrapped) for a malformed mode, board or period.
var ErrBadKey = errors.New("bad board key")

// Key identifies one period of one board of one ranked mode: the unit that
// is ranked, stored (leaderboard_records' mode, board, period), served by
// one grain, frozen at its close and committed as one root. Every layer
// names a board period by a Key, so the mode can never be dropped on the
// way.
type Key struct {
	Mode   string
	Board  Board
	Period string
}

// NewKey validates the parts of a key: a well-formed mode name (whether the
// mode exists and is ranked is the caller's question: it needs the modes),
// a known board and a canonical period of it.
func NewKey(mode, board, period string) (Key, error) {
	if !ValidMode(mode) {
		return Key{}, fmt.Errorf("mode %q: %w", mode, ErrBadKey)
	}
	b, err := ParseBoard(board)
	if err != nil {
		return Key{}, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	if !b.ValidPeriod(period) {
		return Key{}, fmt.Errorf("period %q of board %s: %w", period, b, ErrBadKey)
	}
	return Key{Mode: mode, Board: b, Period: period}, nil
}

// CurrentKey is the key of the mode's board period containing t.
func CurrentKey(mode string, b Board, t time.Time) Key {
	return Key{Mode: mode, Board: b, Period: b.PeriodKey(t)}
}

// ChallengeKey is the key of a challenge's board: the challenge's mode, the
// challenge board and the challenge id as its one period.
func ChallengeKey(mode, challengeID string) Key {
	return Key{Mode: mode, Board: Challenge, Period: challengeID}
}

// Identity is the key as one string, "<mode>/<board>/<period>": the grain
// identity and the name in logs and errors.
func (k Key) Identity() string { return k.Mode + "/" + string(k.Board) + "/" + k.Period }

// String is the identity.
func (k Key) String() string { return k.Identity() }

// Series names the board across its periods: "<board>" for the default
// mode (the names clients and chain roots knew before modes had boards) and
// "<mode>/<board>" for any other. Live-update topics and on-chain root
// names use it.
func (k Key) Series() string {
	if k.Mode == DefaultMode {
		return string(k.Board)
	}
	return k.Mode + "/" + string(k.Board)
}

// ParseKey parses and validates an identity.
func ParseKey(id string) (Key, error) {
	mode, rest, ok := strings.Cut(id, "/")
	board, period, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		return Key{}, fmt.Errorf("parse board key %q: %w", id, ErrBadKey)
	}
	return NewKey(mode, board, period)
}
