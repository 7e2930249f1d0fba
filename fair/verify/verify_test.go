package verify

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/session/game"
)

// TestSchedule_Vectors checks the verifier's own stream, schedule and
// commitment against the vectors an independent implementation produced.
func TestSchedule_Vectors(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../actors/session/game/testdata/schedule_vectors.json")
	require.NoError(t, err)
	var v vectors
	require.NoError(t, json.Unmarshal(raw, &v))
	for _, s := range v.Schedules {
		seed := mustHex(t, s.Seed)
		got := Schedule(seed, Rules{Rows: s.Mode.Rows, Cols: s.Mode.Cols, DurationNs: s.Mode.DurationNs,
			SpawnIntervalNs: s.Mode.SpawnIntervalNs, VisibleNs: s.Mode.VisibleNs, MolesAtOnce: s.Mode.MaxMolesUp,
			GoldenChance: s.Mode.GoldenChance, BombChance: s.Mode.BombChance})
		require.Equal(t, s.Moles, got, "seed %s", s.Seed)
	}
	st := newStream(mustHex(t, v.Stream.Seed), v.Stream.Label, v.Stream.Index)
	for _, w := range v.Stream.Words {
		require.Equal(t, w, strconv.FormatUint(st.next(), 10))
	}
	for _, pair := range v.Stream.IntN {
		require.Equal(t, pair[1], newStream(mustHex(t, v.Stream.Seed), v.Stream.Label, pair[0]).intN(pair[0]))
	}
	for _, c := range v.Commitments {
		require.Equal(t, c.Commitment, commitment(c.SessionID, mustHex(t, c.Seed)))
	}
}

// TestVerify_RandomGames checks that every honest replay of 1,000 random games
// verifies and matches the game package's schedule.
func TestVerify_RandomGames(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(17, 4)) //nolint:gosec // reproducible games
	for range 1000 {
		r := randomGame(t, rng)
		rep, err := Verify(fromGame(r))
		require.NoError(t, err)
		require.True(t, rep.OK, "%v", rep.Divergence)
		require.True(t, rep.ResultsChecked)
		require.Len(t, game.Schedule(r.Seed, r.Mode), rep.Moles)
	}
}

// TestVerify_Tampered covers each check with a replay that breaks it.
func TestVerify_Tampered(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6)) //nolint:gosec // reproducible games
	honest := gameWithHit(t, rng)
	for _, tc := range tampers() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, ok := tc.tamper(honest)
			require.True(t, ok)
			rep, err := Verify(r)
			require.NoError(t, err)
			require.False(t, rep.OK)
			require.Equal(t, tc.check, rep.Divergence.Check, "%v", rep.Divergence)
		})
	}
}

// TestVerify_Unreadable returns an error, not a report, for what cannot be
// read at all.
func TestVerify_Unreadable(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 9)) //nolint:gosec // reproducible games
	honest := fromGame(randomGame(t, rng))
	for name, edit := range map[string]func(*Replay){
		"canonical not base64": func(r *Replay) { r.Canonical = "%%%" },
		"seed not hex":         func(r *Replay) { r.Seed = "zz" },
		"short seed":           func(r *Replay) { r.Seed = r.Seed[:62] },
	} {
		r := honest
		edit(&r)
		_, err := Verify(r)
		require.ErrorIs(t, err, ErrBadReplay, name)
	}
}

type vectors struct {
	Schedules []struct {
		Seed string `json:"seed"`
		Mode struct {
			Rows            int64   `json:"rows"`
			Cols            int64   `json:"cols"`
			DurationNs      int64   `json:"durationNs"`
			SpawnIntervalNs int64   `json:"spawnIntervalNs"`
			VisibleNs       int64   `json:"visibleNs"`
			MaxMolesUp      int64   `json:"maxMolesUp"`
			GoldenChance    float64 `json:"goldenChance"`
			BombChance      float64 `json:"bombChance"`
		} `json:"mode"`
		Moles []Mole `json:"moles"`
	} `json:"schedules"`
	Stream struct {
		Seed  string     `json:"seed"`
		Label string     `json:"label"`
		Index uint64     `json:"index"`
		Words []string   `json:"words"`
		IntN  [][]uint64 `json:"intn"`
	} `json:"stream"`
	Commitments []struct {
		SessionID  string `json:"sessionId"`
		Seed       string `json:"seed"`
		Commitment string `json:"commitment"`
	} `json:"commitments"`
}
