package verify

import (
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/session/game"
)

// tamper is one way to forge a replay and the check that must catch it.
// Forgeries of the content re-encode and re-hash it (the forger controls
// the whole file); edits of the JSON alone leave the canonical bytes.
type tamper struct {
	name   string
	check  Check
	tamper func(game.Replay) (Replay, bool)
}

// tampers are the forgeries of issue #17 (a whack moved, the seed changed,
// a score edited) and one per other check.
func tampers() []tamper {
	return []tamper{
		{"whack moved", CheckInput, moveHit},
		{"seed changed", CheckCommitment, func(r game.Replay) (Replay, bool) {
			committed := game.Commitment(r.SessionID, r.Seed) // what the players saw before the game
			r.Seed[0] ^= 1
			out := fromGame(r)
			out.SeedCommitment = committed
			return out, true
		}},
		{"score edited", CheckResult, func(r game.Replay) (Replay, bool) {
			r.Results = slices.Clone(r.Results)
			r.Results[0].Score++
			return fromGame(r), true
		}},
		{"flag cleared", CheckFlagged, func(r game.Replay) (Replay, bool) {
			r.Flagged = !r.Flagged
			return fromGame(r), true
		}},
		{"score edited in the JSON only", CheckCanonical, func(r game.Replay) (Replay, bool) {
			out := fromGame(r)
			out.Results = slices.Clone(out.Results)
			out.Results[0].Score++
			return out, true
		}},
		{"hash edited", CheckHash, func(r game.Replay) (Replay, bool) {
			out := fromGame(r)
			out.ReplayHash = hex.EncodeToString(make([]byte, 32))
			return out, true
		}},
		{"unknown encoding", CheckEncoding, func(r game.Replay) (Replay, bool) {
			out := fromGame(r)
			out.Encoding = "proofstell/replay/v0"
			return out, true
		}},
		{"whack off the board", CheckRules, func(r game.Replay) (Replay, bool) {
			r.Inputs = slices.Clone(r.Inputs)
			r.Inputs[0].Hole = r.Mode.Holes()
			return fromGame(r), true
		}},
	}
}

// moveHit moves the first hit whack past its mole's lag allowance, or
// before its mole went up when that would pass the end: a hit no more.
func moveHit(r game.Replay) (Replay, bool) {
	i := slices.IndexFunc(r.Inputs, func(in game.Input) bool { return in.Judgement == game.JudgementHit })
	if i < 0 {
		return Replay{}, false
	}
	r.Inputs = slices.Clone(r.Inputs)
	in := &r.Inputs[i]
	m := game.Schedule(r.Seed, r.Mode)[in.Mole-1]
	in.At = m.Down + in.Allowance + 1
	if in.At >= r.Mode.Duration {
		in.At = m.Up - 1
	}
	return fromGame(r), true
}

// gameWithHit plays random games until one has a hit and a whack.
func gameWithHit(tb testing.TB, rng *rand.Rand) game.Replay {
	tb.Helper()
	for range 100 {
		r := randomGame(tb, rng)
		if slices.ContainsFunc(r.Inputs, func(in game.Input) bool { return in.Judgement == game.JudgementHit }) {
			return r
		}
	}
	tb.Fatal("no game with a hit in 100")
	return game.Replay{}
}

func mustHex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(tb, err)
	return b
}

// TestVerify_OutOfRangeField refuses a JSON view whose u32 field only
// matches the canonical bytes in its low 32 bits.
func TestVerify_OutOfRangeField(t *testing.T) {
	t.Parallel()
	r := fromGame(gameWithHit(t, rand.New(rand.NewPCG(1, 2)))) //nolint:gosec // reproducible games
	r.Inputs = slices.Clone(r.Inputs)
	r.Inputs[0].Hole += 1 << 32
	rep, err := Verify(r)
	require.NoError(t, err)
	require.Equal(t, CheckCanonical, rep.Divergence.Check, "%v", rep.Divergence)
}
