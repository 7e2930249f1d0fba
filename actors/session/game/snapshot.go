package game

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Snapshot versions. Restore reads every version listed; bump the one
// Snapshot writes (and keep reading the old ones) on any change.
const (
	// snapshotLegacy (1) holds a uint64 seed and the PCG's state: games
	// begun before Schedule, restored with their legacy generator and
	// written back in this version until they end.
	snapshotLegacy = 1
	// snapshotVersion (2) holds the 32-byte seed; the moles still to come
	// follow from it by Schedule.
	snapshotVersion = 2
)

// snapshotV1 is the complete state of a game: version 1 fills Seed and RNG,
// version 2 FairSeed.
type snapshotV1 struct {
	Version     int        `json:"v"`
	Mode        string     `json:"mode"`
	Rows        int        `json:"rows"`
	Cols        int        `json:"cols"`
	MaxPlayers  int        `json:"maxPlayers"`
	Creator     string     `json:"creator"`
	Seed        uint64     `json:"seed,omitempty"`
	RNG         []byte     `json:"rng,omitempty"`
	FairSeed    string     `json:"seed32,omitempty"`
	Phase       string     `json:"phase"`
	Clock       time.Time  `json:"clock"`
	CountdownAt time.Time  `json:"countdownAt"`
	StartedAt   time.Time  `json:"startedAt"`
	EndedAt     time.Time  `json:"endedAt"`
	NextSpawn   time.Time  `json:"nextSpawn"`
	Flagged     bool       `json:"flagged"`
	FirstLive   int        `json:"firstLive"`
	Moles       []moleV1   `json:"moles"`
	Players     []playerV1 `json:"players"`
	// Inputs is the input log (version 2 only; absent when empty).
	Inputs          []inputV2 `json:"inputs,omitempty"`
	InputsTruncated bool      `json:"inputsTruncated,omitempty"`
}

// inputV2 is one Input; durations in nanoseconds.
type inputV2 struct {
	Player    int    `json:"p"`
	At        int64  `json:"at"`
	Hole      int    `json:"hole"`
	MoleID    int64  `json:"moleId,omitempty"`
	Allowance int64  `json:"allow,omitempty"`
	Judgement string `json:"j"`
	Mole      int64  `json:"mole,omitempty"`
}

type moleV1 struct {
	ID     int64     `json:"id"`
	Hole   int       `json:"hole"`
	Kind   MoleKind  `json:"kind"`
	UpAt   time.Time `json:"upAt"`
	DownAt time.Time `json:"downAt"`
	Winner string    `json:"winner,omitempty"`
}

type playerV1 struct {
	ID        string      `json:"id"`
	Score     int64       `json:"score"`
	Hits      int         `json:"hits"`
	Misses    int         `json:"misses"`
	Bombs     int         `json:"bombs"`
	Combo     int         `json:"combo"`
	BestCombo int         `json:"bestCombo"`
	Flags     int         `json:"flags"`
	ReachedAt time.Time   `json:"reachedAt"`
	Whacks    []time.Time `json:"whacks"`
	Reactions []int32     `json:"reactions,omitempty"` // absent in snapshots taken before it existed
	// TooFast and RateLimited split Flags by reason; absent (0) in
	// snapshots taken before they existed, whose flags stay unattributed.
	TooFast     int `json:"tooFast,omitempty"`
	RateLimited int `json:"rateLimited,omitempty"`
}

// Snapshot encodes the complete state as versioned JSON. Restore with the
// same mode and limits continues exactly where the game was.
func (g *Game) Snapshot() ([]byte, error) {
	s := snapshotV1{
		Version: snapshotVersion, Mode: g.mode.Name, Rows: g.mode.Rows, Cols: g.mode.Cols,
		MaxPlayers: g.maxPlayers, Creator: g.creatorID, FairSeed: g.seed.Hex(),
		Phase: g.phase.String(), Clock: g.clock, CountdownAt: g.countdownAt,
		StartedAt: g.startedAt, EndedAt: g.endedAt, NextSpawn: g.nextSpawn,
		Flagged: g.flagged, FirstLive: g.firstLive,
		Moles: make([]moleV1, len(g.moles)), Players: make([]playerV1, len(g.players)),
	}
	s.Inputs, s.InputsTruncated = inputsV2(g.inputs), g.inputsTruncated
	if g.legacy != nil {
		// A legacy game keeps no log in its snapshot, which older nodes
		// must still read.
		s.Inputs, s.InputsTruncated = nil, false
		rng, err := g.legacy.pcg.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("snapshot rng: %w", err)
		}
		s.Version, s.Seed, s.RNG, s.FairSeed = snapshotLegacy, g.legacy.seed, rng, ""
	}
	for i, m := range g.moles {
		s.Moles[i] = moleV1{ID: m.ID, Hole: m.Hole, Kind: m.Kind, UpAt: m.UpAt, DownAt: m.DownAt, Winner: m.winner}
	}
	for i, p := range g.players {
		s.Players[i] = playerV1{
			ID: p.id, Score: p.score, Hits: p.hits, Misses: p.misses, Bombs: p.bombs, Combo: p.combo,
			BestCombo: p.bestCombo, Flags: p.flags, ReachedAt: p.reachedAt, Whacks: p.whacks,
			Reactions: p.reactions, TooFast: p.tooFast, RateLimited: p.rateLimited,
		}
	}
	data, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("snapshot encode: %w", err)
	}
	return data, nil
}

// Restore rebuilds a game from Snapshot's bytes. mode and limits are the
// ones the game was created with (the snapshot records the mode's name and
// board and rejects another). ErrSnapshotVersion for an unknown version,
// ErrBadSnapshot for anything that does not decode to a consistent game.
func Restore(mode Mode, limits Limits, data []byte) (*Game, error) {
	var head struct {
		Version int `json:"v"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSnapshot, err)
	}
	if head.Version != snapshotVersion && head.Version != snapshotLegacy {
		return nil, fmt.Errorf("%w: %d", ErrSnapshotVersion, head.Version)
	}
	var s snapshotV1
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSnapshot, err)
	}
	g, err := s.game(mode, limits)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadSnapshot, err)
	}
	return g, nil
}

// game checks the decoded state and builds the game from it.
func (s *snapshotV1) game(mode Mode, limits Limits) (*Game, error) {
	if s.Mode != mode.Name || s.Rows != mode.Rows || s.Cols != mode.Cols {
		return nil, fmt.Errorf("snapshot of mode %q %dx%d, not %q %dx%d",
			s.Mode, s.Rows, s.Cols, mode.Name, mode.Rows, mode.Cols)
	}
	if err := validateSetup(mode, limits, s.MaxPlayers); err != nil {
		return nil, err
	}
	phase, ok := parsePhase(s.Phase)
	if !ok {
		return nil, fmt.Errorf("unknown phase %q", s.Phase)
	}
	if !saneTimes(s.Clock, s.CountdownAt, s.StartedAt, s.EndedAt, s.NextSpawn) {
		return nil, fmt.Errorf("game times out of range")
	}
	if phase > PhaseWaiting && (s.Clock.IsZero() || s.StartedAt.IsZero()) {
		// A begun game's timeline hangs off its start: without one its end
		// would fall before 1970.
		return nil, fmt.Errorf("%s game without clock or start", phase)
	}
	if phase > PhaseWaiting && s.NextSpawn.Before(s.StartedAt) {
		return nil, fmt.Errorf("next spawn %v before start %v", s.NextSpawn, s.StartedAt)
	}
	g := &Game{
		mode: mode, limits: limits, maxPlayers: s.MaxPlayers, creatorID: s.Creator,
		phase: phase, clock: s.Clock,
		countdownAt: s.CountdownAt, startedAt: s.StartedAt, endedAt: s.EndedAt,
		nextSpawn: s.NextSpawn, flagged: s.Flagged,
	}
	if err := g.restoreSpawner(s); err != nil {
		return nil, err
	}
	if err := g.restorePlayers(s.Players); err != nil {
		return nil, err
	}
	if s.Creator != "" && !g.IsPlayer(s.Creator) {
		return nil, fmt.Errorf("creator %q is not a player", s.Creator)
	}
	if err := g.restoreMoles(s.Moles, s.FirstLive); err != nil {
		return nil, err
	}
	if err := g.restoreInputs(s.Inputs); err != nil {
		return nil, err
	}
	g.inputsTruncated = s.InputsTruncated
	return g, nil
}

func inputsV2(in []Input) []inputV2 {
	out := make([]inputV2, len(in))
	for i, x := range in {
		out[i] = inputV2{Player: x.Player, At: int64(x.At), Hole: x.Hole, MoleID: x.MoleID,
			Allowance: int64(x.Allowance), Judgement: x.Judgement, Mole: x.Mole}
	}
	return out
}

// restoreInputs checks the log against the game: known players, holes and
// judgements, within MaxInputs.
func (g *Game) restoreInputs(in []inputV2) error {
	if len(in) > MaxInputs {
		return fmt.Errorf("%d inputs", len(in))
	}
	for i, x := range in {
		if x.Player < 0 || x.Player >= len(g.players) || x.Hole < 0 || x.Hole >= g.mode.Holes() ||
			x.MoleID < 0 || x.Mole < 0 || x.Allowance < 0 || !validJudgement(x.Judgement) {
			return fmt.Errorf("input %d is not a judged whack of this game", i)
		}
		g.inputs = append(g.inputs, Input{Player: x.Player, At: time.Duration(x.At), Hole: x.Hole, MoleID: x.MoleID,
			Allowance: time.Duration(x.Allowance), Judgement: x.Judgement, Mole: x.Mole})
	}
	return nil
}

// restoreSpawner restores where moles come from: the legacy PCG for version
// 1, the schedule of the 32-byte seed for version 2.
func (g *Game) restoreSpawner(s *snapshotV1) error {
	if s.Version == snapshotLegacy {
		if s.FairSeed != "" {
			return fmt.Errorf("version 1 snapshot with a 32-byte seed")
		}
		legacy, err := newLegacySpawner(s.Seed, s.RNG)
		if err != nil {
			return fmt.Errorf("rng: %w", err)
		}
		g.legacy = legacy
		return nil
	}
	if s.Seed != 0 || s.RNG != nil {
		return fmt.Errorf("version %d snapshot with a legacy generator", s.Version)
	}
	seed, err := ParseSeed(s.FairSeed)
	if err != nil {
		return err
	}
	g.seed, g.plan = seed, Schedule(seed, g.mode)
	return nil
}

func (g *Game) restorePlayers(players []playerV1) error {
	if len(players) > g.maxPlayers {
		return fmt.Errorf("%d players for %d seats", len(players), g.maxPlayers)
	}
	limit := g.limits.MaxWhacksPerSecond
	for _, sp := range players {
		if sp.ID == "" || g.IsPlayer(sp.ID) {
			return fmt.Errorf("empty or duplicate player id %q", sp.ID)
		}
		if !saneTimes(sp.ReachedAt) || !saneTimes(sp.Whacks...) {
			return fmt.Errorf("player %q times out of range", sp.ID)
		}
		if sp.Score < 0 || min(sp.Hits, sp.Misses, sp.Bombs, sp.Combo, sp.BestCombo, sp.Flags, sp.TooFast, sp.RateLimited) < 0 ||
			!saneReactions(sp.Reactions) {
			return fmt.Errorf("player %q has negative counters", sp.ID)
		}
		p := newPlayer(sp.ID, limit)
		p.score, p.hits, p.misses, p.bombs = sp.Score, sp.Hits, sp.Misses, sp.Bombs
		p.combo, p.bestCombo, p.flags, p.reachedAt = sp.Combo, sp.BestCombo, sp.Flags, sp.ReachedAt
		// Limits may have shrunk since the snapshot: only the newest whacks
		// can matter to the rate window.
		p.whacks = append(p.whacks, sp.Whacks[max(0, len(sp.Whacks)-limit):]...)
		p.reactions = sp.Reactions
		p.tooFast, p.rateLimited = sp.TooFast, sp.RateLimited
		g.players = append(g.players, p)
	}
	return nil
}

func (g *Game) restoreMoles(moles []moleV1, firstLive int) error {
	if len(moles) > MaxMolesPerGame || firstLive < 0 || firstLive > len(moles) {
		return fmt.Errorf("%d moles, first live %d", len(moles), firstLive)
	}
	g.moles = make([]moleState, 0, len(moles))
	for i, m := range moles {
		if err := g.checkMole(i, m); err != nil {
			return err
		}
		g.moles = append(g.moles, moleState{
			Mole: Mole{ID: m.ID, Hole: m.Hole, Kind: m.Kind, UpAt: m.UpAt, DownAt: m.DownAt}, winner: m.Winner,
		})
	}
	g.firstLive = firstLive
	return nil
}

// checkMole enforces what the rules rely on: ids in sequence, holes on the
// board, and moles ordered by time so they retire in order.
func (g *Game) checkMole(i int, m moleV1) error {
	switch {
	case m.ID != int64(i)+1:
		return fmt.Errorf("mole %d has id %d", i+1, m.ID)
	case m.Hole < 0 || m.Hole >= g.mode.Holes():
		return fmt.Errorf("mole %d at hole %d", m.ID, m.Hole)
	case !m.Kind.valid():
		return fmt.Errorf("mole %d of kind %q", m.ID, m.Kind)
	case m.UpAt.IsZero() || !saneTimes(m.UpAt, m.DownAt):
		return fmt.Errorf("mole %d times out of range", m.ID)
	case m.DownAt.Before(m.UpAt):
		return fmt.Errorf("mole %d down before up", m.ID)
	case m.Winner != "" && !g.IsPlayer(m.Winner):
		return fmt.Errorf("mole %d won by non-player %q", m.ID, m.Winner)
	}
	if g.legacy == nil {
		// A scheduled game's moles are its plan's: a snapshot cannot add
		// or change one.
		if i >= len(g.plan) || g.plan[i].Hole != m.Hole || g.plan[i].Kind != m.Kind {
			return fmt.Errorf("mole %d is not the schedule's", m.ID)
		}
	}
	if i > 0 {
		prev := g.moles[i-1]
		if m.UpAt.Before(prev.UpAt) || m.DownAt.Before(prev.DownAt) {
			return fmt.Errorf("mole %d out of time order", m.ID)
		}
	}
	return nil
}

// saneTimes reports whether every time is zero or between 1970 and 9000, so
// arithmetic on a restored game stays far from time's encoding limits (JSON
// cannot encode years past 9999).
func saneTimes(ts ...time.Time) bool {
	for _, t := range ts {
		if !t.IsZero() && (t.Year() < 1970 || t.Year() > 9000) {
			return false
		}
	}
	return true
}

// saneReactions bounds a snapshot's reaction samples like react does.
func saneReactions(ms []int32) bool {
	if len(ms) > maxReactionSamples {
		return false
	}
	for _, v := range ms {
		if v < 0 {
			return false
		}
	}
	return true
}
