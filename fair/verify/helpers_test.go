package verify

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/session/game"
)

// fromGame builds the JSON view GET /sessions/{id}/replay serves for a
// game's replay (gateway/rest/replays.go), from the game package's own
// encoder and hash: the verifier's encoder must reproduce those bytes.
func fromGame(r game.Replay) Replay {
	m := r.Mode
	out := Replay{
		SessionID: r.SessionID, Encoding: Encoding, ReplayHash: r.Hash(),
		Canonical:      base64.StdEncoding.EncodeToString(r.Encode()),
		SeedCommitment: game.Commitment(r.SessionID, r.Seed), Seed: r.Seed.Hex(),
		Rules: Rules{
			Mode: m.Name, Rows: int64(m.Rows), Cols: int64(m.Cols), DurationNs: int64(m.Duration),
			SpawnIntervalNs: int64(m.SpawnInterval), VisibleNs: int64(m.Visible), CountdownNs: int64(m.Countdown),
			MolesAtOnce: int64(m.MaxMolesUp), HitPoints: int64(m.HitPoints), GoldenPoints: int64(m.GoldenPoints),
			BombPenalty: int64(m.BombPenalty), GoldenChance: m.GoldenChance, BombChance: m.BombChance,
		},
		Limits: Limits{LagCapNs: int64(r.Limits.LagCap), MinReactionNs: int64(r.Limits.MinReaction),
			MaxWhacksPerSecond: int64(r.Limits.MaxWhacksPerSecond)},
		InputsTruncated: r.InputsTruncated, Flagged: r.Flagged,
	}
	for _, p := range r.Players {
		out.Players = append(out.Players, Player{PlayerID: p, Username: "name-" + p[:4]})
	}
	for _, in := range r.Inputs {
		out.Inputs = append(out.Inputs, Input{Player: int64(in.Player), AtNs: int64(in.At), Hole: int64(in.Hole),
			MoleID: in.MoleID, AllowanceNs: int64(in.Allowance), Judgement: in.Judgement, Mole: in.Mole})
	}
	for _, res := range r.Results {
		out.Results = append(out.Results, Result{Player: int64(res.Player), Score: res.Score, Hits: int64(res.Hits),
			Misses: int64(res.Misses), Bombs: int64(res.Bombs), BestCombo: int64(res.BestCombo),
			Flags: int64(res.FlagCount)})
	}
	return out
}

// writeJSON writes v as JSON to dir/name and returns the path.
func writeJSON(tb testing.TB, dir, name string, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	require.NoError(tb, err)
	path := filepath.Join(dir, name)
	require.NoError(tb, os.WriteFile(path, b, 0o600))
	return path
}
