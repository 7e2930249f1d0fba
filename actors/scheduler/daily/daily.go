// Package daily derives the daily challenge of a UTC day: pure rules, no I/O
// and no actors, called by the scheduler singleton's challenge job.
//
// The day's challenge follows from the date and a server secret
// (CHALLENGE_SECRET) only: its bytes are HMAC-SHA256(secret,
// "daily-challenge/YYYY-MM-DD"). Whoever holds the secret gets the same
// challenge for the same day on any node and after any restart, and
// nobody without it can compute tomorrow's (or tell one day's from
// another's) in advance, since HMAC-SHA256 is a pseudo-random function of
// the key. The bytes pick one ranked active mode (modes sorted by name, so
// the catalogue's order does not matter) and scale its pace within the
// bounds below, always keeping rules that pass persistence.Mode.Check.
//
// Bounds of a daily's overrides, relative to the mode's own rules:
//
//   - duration: ±DurationSpread, in whole seconds, at least MinDuration
//   - spawn interval and visible time: ±PaceSpread, in whole 10 ms steps,
//     at least MinPace and at most the duration
//   - golden and bomb chances: ±ChanceSpread of the mode's (a mode without
//     golden or bomb moles keeps none), their sum at most MaxChances
//
// Everything else (board, moles at once, points, countdown, players) is
// the mode's.
package daily

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// What every daily challenge shares.
const (
	// MaxAttempts is how many games a player may play at a daily.
	MaxAttempts = 3
	// RewardTop is how many of the best ranks win a daily.
	RewardTop = 3
)

// Bounds of the overrides (see the package doc).
const (
	DurationSpread = 0.25
	PaceSpread     = 0.20
	ChanceSpread   = 0.50
	MinDuration    = 10 * time.Second
	MinPace        = 100 * time.Millisecond
	MaxChances     = 0.5
	paceStep       = 10 * time.Millisecond
)

// ErrNoRankedMode is the error of a catalogue without an active ranked mode.
var ErrNoRankedMode = errors.New("no active ranked mode")

// domain separates these HMACs from any other use of the secret.
const domain = "daily-challenge/"

// Generate returns the daily challenge of date's UTC day from secret and the
// mode catalogue: deterministic, see the package doc. It fails only when no
// mode is both active and ranked.
func Generate(date time.Time, secret []byte, modes []persistence.Mode) (persistence.Challenge, error) {
	day := date.UTC().Truncate(24 * time.Hour)
	ranked := rankedModes(modes)
	if len(ranked) == 0 {
		return persistence.Challenge{}, fmt.Errorf("daily challenge %s: %w", day.Format(time.DateOnly), ErrNoRankedMode)
	}
	r := newStream(secret, day)
	mode := ranked[r.next()%uint64(len(ranked))]
	over := overrides(mode, r)
	rules := over.Apply(mode)
	if rules.Check() != nil { // unreachable with a valid mode; a broken one is played as it is
		over, rules = persistence.ModeUpdate{}, mode
	}
	return persistence.Challenge{
		ID:          persistence.DailyChallengeID(day),
		Kind:        persistence.ChallengeDaily,
		Title:       "Daily challenge — " + day.Format("2 January"),
		Description: describe(rules),
		Mode:        mode.Name,
		Rules:       rules,
		Overrides:   over,
		StartsAt:    day,
		EndsAt:      day.AddDate(0, 0, 1),
		MaxAttempts: MaxAttempts,
		RewardTop:   RewardTop,
	}, nil
}

// rankedModes are the active ranked modes sorted by name.
func rankedModes(modes []persistence.Mode) []persistence.Mode {
	var out []persistence.Mode
	for _, m := range modes {
		if m.Active && m.Ranked {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b persistence.Mode) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// overrides scales the mode's pace and chances within the bounds.
func overrides(m persistence.Mode, r *stream) persistence.ModeUpdate {
	d := scaleDuration(m.Duration, r.factor(DurationSpread), time.Second, MinDuration, persistence.MaxModeDuration)
	spawn := scaleDuration(m.SpawnInterval, r.factor(PaceSpread), paceStep, MinPace, d)
	visible := scaleDuration(m.Visible, r.factor(PaceSpread), paceStep, MinPace, d)
	golden := roundChance(m.GoldenChance * r.factor(ChanceSpread))
	bomb := roundChance(m.BombChance * r.factor(ChanceSpread))
	if sum := golden + bomb; sum > MaxChances {
		golden, bomb = roundChance(golden*MaxChances/sum), roundChance(bomb*MaxChances/sum)
	}
	return persistence.ModeUpdate{Duration: &d, SpawnInterval: &spawn, Visible: &visible,
		GoldenChance: &golden, BombChance: &bomb}
}

// scaleDuration is base·f rounded to step, within [lo, hi] (base itself
// when it is below lo: a mode faster than the bounds keeps its pace).
func scaleDuration(base time.Duration, f float64, step, lo, hi time.Duration) time.Duration {
	if base < lo || hi < lo {
		return min(base, hi)
	}
	d := time.Duration(math.Round(float64(base)*f/float64(step))) * step
	return min(max(d, lo), hi)
}

// roundChance keeps three decimals, rounded down so a sum never grows.
func roundChance(p float64) float64 { return math.Floor(p*1000) / 1000 }

// describe is the challenge's description: what the day changed.
func describe(m persistence.Mode) string {
	return fmt.Sprintf("Today's %s: %ds games, a mole every %dms, up for %dms.",
		m.Name, int(m.Duration/time.Second), m.SpawnInterval.Milliseconds(), m.Visible.Milliseconds())
}

// stream hands out the day's HMAC bytes, re-keying with a counter when the
// first 32 run out.
type stream struct {
	secret []byte
	label  string
	buf    []byte
	block  uint32
}

func newStream(secret []byte, day time.Time) *stream {
	return &stream{secret: secret, label: domain + day.Format(time.DateOnly)}
}

// next returns 8 fresh bytes as a number.
func (s *stream) next() uint64 {
	if len(s.buf) < 8 {
		mac := hmac.New(sha256.New, s.secret)
		mac.Write([]byte(s.label))
		if s.block > 0 {
			_ = binary.Write(mac, binary.BigEndian, s.block) // hash writes never fail
		}
		s.block++
		s.buf = mac.Sum(nil)
	}
	v := binary.BigEndian.Uint64(s.buf)
	s.buf = s.buf[8:]
	return v
}

// factor is a multiplier uniform in [1-spread, 1+spread].
func (s *stream) factor(spread float64) float64 {
	u := float64(s.next()>>11) / (1 << 53) // 53 random bits in [0, 1)
	return 1 - spread + 2*spread*u
}
