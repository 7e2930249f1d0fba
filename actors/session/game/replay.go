package game

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// replayMagic opens every canonical replay; its version changes with the
// layout.
const replayMagic = "proofstell/replay/v1"

// Replay is everything needed to check a finished game (docs/FAIRNESS.md
// §6): its rules, seed, players, input log and results. Encode gives its
// canonical bytes and Hash their SHA-256.
type Replay struct {
	SessionID string
	Seed      Seed
	Mode      Mode
	Limits    Limits
	// Players are the player ids in join order; Inputs and Results name
	// players by their index here.
	Players         []string
	Inputs          []Input
	InputsTruncated bool
	// Results are in rank order (Result's).
	Results []ReplayResult
	Flagged bool
}

// ReplayResult is one player's line of a replay.
type ReplayResult struct {
	Player                                    int
	Score                                     int64
	Hits, Misses, Bombs, BestCombo, FlagCount int
}

// Replay returns the game's replay for session sessionID. Call it once the
// game is finished; a legacy game (zero Seed) has nothing to verify.
func (g *Game) Replay(sessionID string) Replay {
	res := g.Result()
	r := Replay{
		SessionID: sessionID, Seed: g.seed, Mode: g.mode, Limits: g.limits, Players: g.Players(),
		Inputs: g.inputs, InputsTruncated: g.inputsTruncated, Flagged: res.Flagged,
		Results: make([]ReplayResult, len(res.Players)),
	}
	for i, p := range res.Players {
		r.Results[i] = ReplayResult{Player: g.playerIndex(g.player(p.PlayerID)), Score: p.Score, Hits: p.Hits,
			Misses: p.Misses, Bombs: p.Bombs, BestCombo: p.BestCombo, FlagCount: p.Flags}
	}
	return r
}

// Hash is the replay hash: lower-case hex SHA-256 of Encode.
func (r Replay) Hash() string {
	sum := sha256.Sum256(r.Encode())
	return hex.EncodeToString(sum[:])
}

// Encode returns the canonical encoding (docs/FAIRNESS.md §6): the same
// replay always gives the same bytes, in every implementation.
func (r Replay) Encode() []byte {
	var e replayWriter
	e.raw([]byte(replayMagic))
	e.str(r.SessionID)
	e.raw(r.Seed[:])
	m := r.Mode
	e.str(m.Name)
	e.u32(m.Rows, m.Cols)
	e.dur(m.Duration, m.SpawnInterval, m.Visible, m.Countdown)
	e.u32(m.MaxMolesUp)
	e.i64(int64(m.HitPoints), int64(m.GoldenPoints), int64(m.BombPenalty))
	e.f64(m.GoldenChance, m.BombChance)
	e.dur(r.Limits.LagCap, r.Limits.MinReaction)
	e.u32(r.Limits.MaxWhacksPerSecond)
	e.u32(len(r.Players))
	for _, p := range r.Players {
		e.str(p)
	}
	e.u32(len(r.Inputs))
	for _, in := range r.Inputs {
		e.u32(in.Player)
		e.dur(in.At)
		e.u32(in.Hole)
		e.i64(in.MoleID)
		e.dur(in.Allowance)
		e.str(in.Judgement)
		e.i64(in.Mole)
	}
	e.flag(r.InputsTruncated)
	e.u32(len(r.Results))
	for _, res := range r.Results {
		e.u32(res.Player)
		e.i64(res.Score)
		e.u32(res.Hits, res.Misses, res.Bombs, res.BestCombo, res.FlagCount)
	}
	e.flag(r.Flagged)
	return e.b
}

// DecodeReplay parses Encode's output. ErrBadReplay for anything else,
// including trailing bytes and lengths beyond the game bounds.
func DecodeReplay(b []byte) (Replay, error) {
	d := replayReader{b: b}
	r, err := d.replay()
	if err != nil {
		return Replay{}, fmt.Errorf("%w: %w", ErrBadReplay, err)
	}
	return r, nil
}

func (d *replayReader) replay() (Replay, error) {
	if string(d.raw(len(replayMagic))) != replayMagic {
		return Replay{}, fmt.Errorf("not a %s replay", replayMagic)
	}
	var r Replay
	r.SessionID = d.str()
	copy(r.Seed[:], d.raw(SeedSize))
	r.Mode = d.mode()
	r.Limits = Limits{LagCap: d.dur(), MinReaction: d.dur(), MaxWhacksPerSecond: d.u32()}
	r.Players = make([]string, d.count(MaxPlayers))
	for i := range r.Players {
		r.Players[i] = d.str()
	}
	r.Inputs = make([]Input, d.count(MaxInputs))
	for i := range r.Inputs {
		r.Inputs[i] = Input{Player: d.u32(), At: d.dur(), Hole: d.u32(), MoleID: d.i64(), Allowance: d.dur(),
			Judgement: d.str(), Mole: d.i64()}
	}
	r.InputsTruncated = d.flag()
	r.Results = make([]ReplayResult, d.count(MaxPlayers))
	for i := range r.Results {
		r.Results[i] = ReplayResult{Player: d.u32(), Score: d.i64(), Hits: d.u32(), Misses: d.u32(), Bombs: d.u32(),
			BestCombo: d.u32(), FlagCount: d.u32()}
	}
	r.Flagged = d.flag()
	switch {
	case d.err != nil:
		return Replay{}, d.err
	case len(d.b) != 0:
		return Replay{}, fmt.Errorf("%d trailing bytes", len(d.b))
	}
	return r, nil
}

func (d *replayReader) mode() Mode {
	m := Mode{Name: d.str(), Rows: d.u32(), Cols: d.u32()}
	m.Duration, m.SpawnInterval, m.Visible, m.Countdown = d.dur(), d.dur(), d.dur(), d.dur()
	m.MaxMolesUp = d.u32()
	m.HitPoints, m.GoldenPoints, m.BombPenalty = int(d.i64()), int(d.i64()), int(d.i64())
	m.GoldenChance, m.BombChance = d.f64(), d.f64()
	return m
}
