package game

import (
	"fmt"
	"slices"
	"time"
)

// Game is one session's rules and state. It is not safe for concurrent use:
// the session actor owns it and calls it from its mailbox only.
type Game struct {
	mode       Mode
	limits     Limits
	maxPlayers int
	creatorID  string
	seed       Seed
	// plan is Schedule(seed, mode): moles[i] is plan[i] once revealed.
	plan []PlannedMole
	// legacy spawns instead of plan for a game restored from a version 1
	// snapshot, which predates the schedule (legacy.go); nil otherwise.
	legacy *legacySpawner

	phase Phase
	// clock is the latest now seen; the game's time never goes backwards.
	clock       time.Time
	countdownAt time.Time // when Begin ran
	startedAt   time.Time // scheduled start of running (Begin + Countdown)
	endedAt     time.Time // set when finished
	nextSpawn   time.Time // legacy only: next spawn slot on the grid
	flagged     bool

	players []*player // join order
	// moles holds every mole of the game, index id-1; moles[firstLive:]
	// are live (DownAt is non-decreasing in id, so they retire in order).
	moles     []moleState
	firstLive int
	// inputs is the input log (inputs.go), bounded by MaxInputs.
	inputs          []Input
	inputsTruncated bool
	// staleUntil ends the grace after a Resume during which whacks that
	// would flag are judged MissStale instead (see Resume).
	staleUntil time.Time
}

// moleState is a mole and who won it ("" while nobody has). An unseen mole
// was revealed by a call after its DownAt: never announced, so never
// announced down either (not kept in snapshots: a restored one is announced
// down, which clients ignore for a mole they never saw).
type moleState struct {
	Mole
	winner string
	unseen bool
}

// New creates a waiting game. A non-empty creatorID joins at once (a solo
// game is then ready for Begin); an empty one is a game formed by the
// matchmaker, which nobody may BeginBy.
//
// The seed decides every mole (Schedule); it must come from a CSPRNG
// (NewSeed) and stay secret until the game is over.
func New(mode Mode, limits Limits, seed Seed, maxPlayers int, creatorID string) (*Game, error) {
	if err := validateSetup(mode, limits, maxPlayers); err != nil {
		return nil, err
	}
	plan := Schedule(seed, mode)
	g := &Game{
		mode: mode, limits: limits, maxPlayers: maxPlayers, creatorID: creatorID,
		seed: seed, plan: plan, moles: make([]moleState, 0, len(plan)),
	}
	if creatorID != "" {
		if err := g.Join(creatorID); err != nil {
			return nil, fmt.Errorf("join creator: %w", err)
		}
	}
	return g, nil
}

func validateSetup(mode Mode, limits Limits, maxPlayers int) error {
	if err := mode.Validate(); err != nil {
		return fmt.Errorf("mode %q: %w", mode.Name, err)
	}
	if err := limits.Validate(); err != nil {
		return err
	}
	if maxPlayers < 1 || maxPlayers > MaxPlayers {
		return fmt.Errorf("%w: %d not in [1, %d]", ErrInvalidMaxPlayers, maxPlayers, MaxPlayers)
	}
	return nil
}

// Join adds a player while the game is waiting. Joining again is a no-op
// for a member in any phase (a reconnect); ErrFull when no seat is left,
// ErrNotJoinable once the game has begun.
func (g *Game) Join(playerID string) error {
	if err := g.CanJoin(playerID); err != nil || g.IsPlayer(playerID) {
		return err
	}
	g.players = append(g.players, newPlayer(playerID, g.limits.MaxWhacksPerSecond))
	return nil
}

// CanJoin reports, without changing anything, what Join would answer now,
// so a shell can check what else a join needs (a stored seat) first.
func (g *Game) CanJoin(playerID string) error {
	switch {
	case playerID == "":
		return ErrBadPlayerID
	case g.IsPlayer(playerID):
		return nil
	case g.phase != PhaseWaiting:
		return ErrNotJoinable
	case g.Full():
		return ErrFull
	}
	return nil
}

// Players returns the member ids in join order.
func (g *Game) Players() []string {
	ids := make([]string, len(g.players))
	for i, p := range g.players {
		ids[i] = p.id
	}
	return ids
}

// IsPlayer reports whether id is a member.
func (g *Game) IsPlayer(id string) bool { return g.player(id) != nil }

// Full reports whether every seat is taken.
func (g *Game) Full() bool { return len(g.players) >= g.maxPlayers }

// Creator returns the creator's id ("" for a matchmade game).
func (g *Game) Creator() string { return g.creatorID }

// MaxPlayers returns the number of seats.
func (g *Game) MaxPlayers() int { return g.maxPlayers }

// Mode returns the rules the game plays by.
func (g *Game) Mode() Mode { return g.mode }

// Seed returns the seed the game was created with (zero for a game restored
// from a version 1 snapshot, whose moles come from its legacy generator).
// It is secret until the game is over.
func (g *Game) Seed() Seed { return g.seed }

// Phase returns the current phase.
func (g *Game) Phase() Phase { return g.phase }

// StartedAt returns when running began; zero before that.
func (g *Game) StartedAt() time.Time {
	if g.phase < PhaseRunning {
		return time.Time{}
	}
	return g.startedAt
}

// StartsAt returns when running begins or began; zero while waiting.
func (g *Game) StartsAt() time.Time { return g.startedAt }

// EndsAt returns the scheduled end of running; zero while waiting.
func (g *Game) EndsAt() time.Time {
	if g.phase == PhaseWaiting {
		return time.Time{}
	}
	return g.startedAt.Add(g.mode.Duration)
}

// Flagged reports whether any player was flagged for cheating.
func (g *Game) Flagged() bool { return g.flagged }

// LiveMoles returns the moles visible at now (up, not down, not won), for a
// client that resumes mid-game.
func (g *Game) LiveMoles(now time.Time) []Mole {
	var up []Mole
	for _, m := range g.moles[g.firstLive:] {
		if m.winner == "" && !now.Before(m.UpAt) && now.Before(m.DownAt) {
			up = append(up, m.Mole)
		}
	}
	return up
}

// Begin starts the countdown, or running straight away when the mode has no
// countdown (then the first mole spawns in the same call). ErrAlreadyStarted
// unless waiting; ErrNoPlayers when nobody joined.
func (g *Game) Begin(now time.Time) ([]Event, error) {
	if g.phase != PhaseWaiting {
		return nil, ErrAlreadyStarted
	}
	if len(g.players) == 0 {
		return nil, ErrNoPlayers
	}
	now = g.tick(now)
	g.phase = PhaseCountdown
	g.countdownAt = now
	g.startedAt = now.Add(g.mode.Countdown)
	g.nextSpawn = g.startedAt
	var events []Event
	if g.mode.Countdown > 0 {
		events = append(events, PhaseChanged{Phase: PhaseCountdown, At: now, StartsIn: g.mode.Countdown})
	}
	return g.advance(now, events), nil
}

// BeginBy is Begin on behalf of a player: only the creator may start a match
// early (ErrNotCreator otherwise).
func (g *Game) BeginBy(playerID string, now time.Time) ([]Event, error) {
	if g.creatorID == "" || playerID != g.creatorID {
		return nil, ErrNotCreator
	}
	return g.Begin(now)
}

// player returns the member with id, or nil.
func (g *Game) player(id string) *player {
	i := slices.IndexFunc(g.players, func(p *player) bool { return p.id == id })
	if i < 0 {
		return nil
	}
	return g.players[i]
}

// tick moves the game clock to now unless now is in its past, and returns
// the clock: a caller's clock stepping back must not reorder moles.
func (g *Game) tick(now time.Time) time.Time {
	if now.After(g.clock) {
		g.clock = now
	}
	return g.clock
}
