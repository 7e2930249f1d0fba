// Package difficulty picks the level of a solo game a player starts without
// naming a mode ("game:start" with no mode): the default follows the
// player's recent solo accuracy and median reaction time. The rules are
// data (Table, Default) and pure: no clock, no store, table-tested. The
// session grain feeds them the player's recent finished solo games
// (persistence: session_players, newest first) and plays the mode they name.
//
// Solo games never move a skill rating (internal/rating rates matches); this
// is how they shape the next game instead.
package difficulty

import (
	"slices"
	"time"
)

// Levels, as game_modes.level names them.
const (
	Easy   = "easy"
	Normal = "normal"
	Hard   = "hard"
)

// Game is one recent finished solo game of the player.
type Game struct {
	Hits, Misses int
	// MedianReaction is the game's median reaction time; zero when unknown
	// (no mole won, or a game stored before reactions were kept).
	MedianReaction time.Duration
}

// Form summarizes a player's recent solo games.
type Form struct {
	Games        int
	Hits, Misses int
	// MedianReaction is the median of the games' known median reactions;
	// zero when none is known.
	MedianReaction time.Duration
}

// Accuracy is the share of whacks that won a mole; zero without whacks.
func (f Form) Accuracy() float64 {
	if f.Hits+f.Misses == 0 {
		return 0
	}
	return float64(f.Hits) / float64(f.Hits+f.Misses)
}

// Summarize folds recent games into a Form.
func Summarize(games []Game) Form {
	f := Form{Games: len(games)}
	var reactions []time.Duration
	for _, g := range games {
		f.Hits += max(g.Hits, 0)
		f.Misses += max(g.Misses, 0)
		if g.MedianReaction > 0 {
			reactions = append(reactions, g.MedianReaction)
		}
	}
	f.MedianReaction = median(reactions)
	return f
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// Step is one row of a Table: a form with at least MinAccuracy and a known
// median reaction of at most MaxReaction (an unknown one does not block the
// step: accuracy alone decides) earns Level.
type Step struct {
	Level       string
	MinAccuracy float64
	MaxReaction time.Duration
}

// Table is the whole rule: players with fewer than MinGames recent solo
// games get Newcomer; others get the first Step (hardest first) their form
// meets, else Fallback. Modes names the mode played at each level.
type Table struct {
	Window   int // how many recent solo games are read
	MinGames int
	Newcomer string
	Steps    []Step
	Fallback string
	Modes    map[string]string
}

// Default is the shipped table, tuned on the seeded classic family: hard
// (moles up 550 ms) once a player wins 85% of whacks with a median reaction
// within 450 ms, easy (up 1200 ms) below 60% or beyond 700 ms, normal
// (classic, up 800 ms) between and for newcomers (fewer than 3 solo games
// among the last 10).
func Default() Table {
	return Table{
		Window: 10, MinGames: 3, Newcomer: Normal,
		Steps: []Step{
			{Level: Hard, MinAccuracy: 0.85, MaxReaction: 450 * time.Millisecond},
			{Level: Normal, MinAccuracy: 0.60, MaxReaction: 700 * time.Millisecond},
		},
		Fallback: Easy,
		Modes:    map[string]string{Easy: "classic-easy", Normal: "classic", Hard: "classic-hard"},
	}
}

// Level is the level a form earns.
func (t Table) Level(f Form) string {
	if f.Games < t.MinGames {
		return t.Newcomer
	}
	for _, s := range t.Steps {
		if f.Accuracy() >= s.MinAccuracy && (f.MedianReaction == 0 || f.MedianReaction <= s.MaxReaction) {
			return s.Level
		}
	}
	return t.Fallback
}

// Mode is the mode a player with these recent solo games plays by default.
func (t Table) Mode(recent []Game) string {
	return t.Modes[t.Level(Summarize(recent))]
}
