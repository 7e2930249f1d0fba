package verify

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
)

// Encoding is the only replay encoding this verifier knows.
const Encoding = "proofstell/replay/v1"

// Replay is the JSON body of GET /api/v1/sessions/{id}/replay. Durations
// are nanoseconds, as the canonical encoding holds them.
type Replay struct {
	SessionID       string   `json:"sessionId"`
	Encoding        string   `json:"encoding"`
	ReplayHash      string   `json:"replayHash"`
	Canonical       string   `json:"canonical"`
	SeedCommitment  string   `json:"seedCommitment"`
	Seed            string   `json:"seed"`
	Rules           Rules    `json:"rules"`
	Limits          Limits   `json:"limits"`
	Players         []Player `json:"players"`
	Inputs          []Input  `json:"inputs"`
	InputsTruncated bool     `json:"inputsTruncated"`
	Results         []Result `json:"results"`
	Flagged         bool     `json:"flagged"`
}

// Rules is the snapshot of the mode the game played.
type Rules struct {
	Mode            string  `json:"mode"`
	Rows            int64   `json:"rows"`
	Cols            int64   `json:"cols"`
	DurationNs      int64   `json:"durationNs"`
	SpawnIntervalNs int64   `json:"spawnIntervalNs"`
	VisibleNs       int64   `json:"visibleNs"`
	CountdownNs     int64   `json:"countdownNs"`
	MolesAtOnce     int64   `json:"molesAtOnce"`
	HitPoints       int64   `json:"hitPoints"`
	GoldenPoints    int64   `json:"goldenPoints"`
	BombPenalty     int64   `json:"bombPenalty"`
	GoldenChance    float64 `json:"goldenChance"`
	BombChance      float64 `json:"bombChance"`
}

// Limits are the server's judging limits the game was judged with.
type Limits struct {
	LagCapNs           int64 `json:"lagCapNs"`
	MinReactionNs      int64 `json:"minReactionNs"`
	MaxWhacksPerSecond int64 `json:"maxWhacksPerSecond"`
}

// Player is one member, in join order. Username is not hashed.
type Player struct {
	PlayerID string `json:"playerId"`
	Username string `json:"username"`
}

// Input is one logged whack: AtNs from the start of running, Mole the mole
// the server judged against (see FAIRNESS.md §6 for which id it holds).
type Input struct {
	Player      int64  `json:"player"`
	AtNs        int64  `json:"atNs"`
	Hole        int64  `json:"hole"`
	MoleID      int64  `json:"moleId"`
	AllowanceNs int64  `json:"allowanceNs"`
	Judgement   string `json:"judgement"`
	Mole        int64  `json:"mole"`
}

// Result is one player's line, in rank order.
type Result struct {
	Player    int64 `json:"player"`
	Score     int64 `json:"score"`
	Hits      int64 `json:"hits"`
	Misses    int64 `json:"misses"`
	Bombs     int64 `json:"bombs"`
	BestCombo int64 `json:"bestCombo"`
	Flags     int64 `json:"flags"`
}

// Parse reads a replay's JSON.
func Parse(data []byte) (Replay, error) {
	var r Replay
	if err := json.Unmarshal(data, &r); err != nil {
		return Replay{}, fmt.Errorf("parse replay: %w", err)
	}
	return r, nil
}

// canonicalBytes decodes the base64 canonical field.
func (r Replay) canonicalBytes() ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(r.Canonical)
	if err != nil {
		return nil, fmt.Errorf("canonical is not base64: %w", err)
	}
	return b, nil
}

// encode writes the JSON view in the canonical layout of FAIRNESS.md §6;
// seed is the decoded seed (32 bytes). It returns nil when a u32 field is
// outside [0, 2^32): such a JSON view has no canonical bytes (it must not
// pass for the bytes of its low 32 bits).
func (r Replay) encode(seed []byte) []byte {
	var w writer
	w.raw([]byte(Encoding))
	w.str(r.SessionID)
	w.raw(seed)
	m := r.Rules
	w.str(m.Mode)
	w.u32(m.Rows, m.Cols)
	w.i64(m.DurationNs, m.SpawnIntervalNs, m.VisibleNs, m.CountdownNs)
	w.u32(m.MolesAtOnce)
	w.i64(m.HitPoints, m.GoldenPoints, m.BombPenalty)
	w.f64(m.GoldenChance, m.BombChance)
	w.i64(r.Limits.LagCapNs, r.Limits.MinReactionNs)
	w.u32(r.Limits.MaxWhacksPerSecond, int64(len(r.Players)))
	for _, p := range r.Players {
		w.str(p.PlayerID)
	}
	w.u32(int64(len(r.Inputs)))
	for _, in := range r.Inputs {
		w.u32(in.Player)
		w.i64(in.AtNs)
		w.u32(in.Hole)
		w.i64(in.MoleID, in.AllowanceNs)
		w.str(in.Judgement)
		w.i64(in.Mole)
	}
	w.flag(r.InputsTruncated)
	w.u32(int64(len(r.Results)))
	for _, res := range r.Results {
		w.u32(res.Player)
		w.i64(res.Score)
		w.u32(res.Hits, res.Misses, res.Bombs, res.BestCombo, res.Flags)
	}
	w.flag(r.Flagged)
	if w.outOfRange {
		return nil
	}
	return w.b
}

// writer appends canonical fields; outOfRange records a u32 value it could
// not write.
type writer struct {
	b          []byte
	outOfRange bool
}

func (w *writer) raw(b []byte) { w.b = append(w.b, b...) }

func (w *writer) u32(vs ...int64) {
	for _, v := range vs {
		w.outOfRange = w.outOfRange || v < 0 || v > math.MaxUint32
		w.b = binary.BigEndian.AppendUint32(w.b, uint32(v)) //nolint:gosec // range recorded above
	}
}

func (w *writer) i64(vs ...int64) {
	for _, v := range vs {
		w.b = binary.BigEndian.AppendUint64(w.b, uint64(v)) //nolint:gosec // two's complement by design
	}
}

func (w *writer) f64(vs ...float64) {
	for _, v := range vs {
		w.b = binary.BigEndian.AppendUint64(w.b, math.Float64bits(v))
	}
}

func (w *writer) str(s string) {
	w.u32(int64(len(s)))
	w.b = append(w.b, s...)
}

func (w *writer) flag(v bool) {
	if v {
		w.b = append(w.b, 1)
		return
	}
	w.b = append(w.b, 0)
}
