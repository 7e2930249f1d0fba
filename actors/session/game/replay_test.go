package game

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// playedReplay plays a two-player quick game with hits, misses and a cheat
// and returns its game.
func playedReplay(t testing.TB) *Game {
	t.Helper()
	mode := quickMode()
	mode.GoldenChance, mode.BombChance = 0.2, 0.1
	g := newGame(t, mode, 21, "a", "b")
	_, err := g.Begin(t0)
	require.NoError(t, err)
	for now := 0; g.Phase() != PhaseFinished; now += 100 {
		for _, e := range g.Advance(ms(now)) {
			up, ok := e.(MoleUp)
			if !ok {
				continue
			}
			at := up.Mole.UpAt.Add(time.Duration(150+up.Mole.ID*13%200) * time.Millisecond)
			_, err := g.Whack(Whack{PlayerID: []string{"a", "b"}[up.Mole.ID%2], Hole: up.Mole.Hole, MoleID: up.Mole.ID,
				At: at, RTT: 40 * time.Millisecond})
			require.NoError(t, err)
			if up.Mole.ID == 7 {
				_, err = g.Whack(Whack{PlayerID: "b", Hole: up.Mole.Hole, At: up.Mole.UpAt.Add(10 * time.Millisecond)})
				require.NoError(t, err)
			}
		}
	}
	return g
}

func TestGame_InputLog(t *testing.T) {
	t.Parallel()
	g := playedReplay(t)
	inputs, truncated := g.Inputs()
	require.False(t, truncated)
	// Mole 1 went up in Begin, which the loop does not see: a whack for
	// each of moles 2..30, plus the cheat.
	require.Len(t, inputs, 30)
	require.Equal(t, Input{Player: 0, At: 1176 * time.Millisecond, Hole: inputs[0].Hole, MoleID: 2,
		Allowance: 40 * time.Millisecond, Judgement: JudgementHit, Mole: 2}, inputs[0])
	// The log is in judging order (which decides "taken"), not time order:
	// the cheat at 6010 ms was judged after mole 7's hit at 6241 ms.
	cheat := inputs[6]
	require.EqualValues(t, 0, cheat.MoleID)
	require.Equal(t, string(MissTooFast), cheat.Judgement)
	require.EqualValues(t, 7, cheat.Mole)
	require.Equal(t, 6010*time.Millisecond, cheat.At)
}

func TestGame_InputLogSurvivesSnapshot(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 4, "a")
	up := begin(t, g)
	whack(t, g, Whack{PlayerID: "a", Hole: up.Hole, MoleID: up.ID, At: ms(300)})
	whack(t, g, Whack{PlayerID: "a", Hole: otherHole(up.Hole), At: ms(400)})
	data, err := g.Snapshot()
	require.NoError(t, err)
	restored, err := Restore(quickMode(), testLimits(), data)
	require.NoError(t, err)
	want, _ := g.Inputs()
	got, truncated := restored.Inputs()
	require.Equal(t, want, got)
	require.False(t, truncated)
	require.Len(t, got, 2)
}

func TestGame_InputLogBounded(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 4, "a")
	begin(t, g)
	for i := range MaxInputs + 10 {
		_, err := g.Whack(Whack{PlayerID: "a", Hole: 0, At: t0.Add(time.Duration(i) * time.Microsecond)})
		require.NoError(t, err)
	}
	inputs, truncated := g.Inputs()
	require.Len(t, inputs, MaxInputs)
	require.True(t, truncated)
	require.True(t, g.Flagged(), "only a flood fills the log, and a flood flags the game")
}

func TestReplay_RoundTrip(t *testing.T) {
	t.Parallel()
	g := playedReplay(t)
	r := g.Replay("0b7e7f0e-3c1a-4f43-9a57-5d1c2f0e8a11")
	require.Equal(t, []string{"a", "b"}, r.Players)
	require.Len(t, r.Results, 2)
	require.True(t, r.Flagged)
	got, err := DecodeReplay(r.Encode())
	require.NoError(t, err)
	require.Equal(t, r, got)
	unpacked, err := UnpackReplay(PackReplay(r))
	require.NoError(t, err)
	require.Equal(t, r, unpacked)
	require.Less(t, len(PackReplay(r)), len(r.Encode()))
	sum := sha256.Sum256(r.Encode())
	require.Equal(t, hex.EncodeToString(sum[:]), r.Hash())
}

// TestReplay_Golden pins the canonical encoding byte for byte: a change to
// it must be a new replay version (docs/FAIRNESS.md §6).
func TestReplay_Golden(t *testing.T) {
	t.Parallel()
	r := Replay{
		SessionID: "s", Seed: Seed{1}, Mode: Mode{Name: "m", Rows: 1, Cols: 2, Duration: 3, SpawnInterval: 4,
			Visible: 5, Countdown: 6, MaxMolesUp: 7, HitPoints: 8, GoldenPoints: 9, BombPenalty: 10,
			GoldenChance: 0.5, BombChance: 0.25},
		Limits:  Limits{LagCap: 11, MinReaction: 12, MaxWhacksPerSecond: 13},
		Players: []string{"p"},
		Inputs:  []Input{{Player: 0, At: -1, Hole: 1, MoleID: 2, Allowance: 3, Judgement: "hit", Mole: 2}},
		Results: []ReplayResult{{Player: 0, Score: 1, Hits: 1, Misses: 0, Bombs: 0, BestCombo: 1, FlagCount: 0}},
		Flagged: true,
	}
	want := hex.EncodeToString([]byte("proofstell/replay/v1")) +
		"00000001" + "73" + // "s"
		"01" + "00000000000000000000000000000000000000000000000000000000000000" + // seed
		"00000001" + "6d" + "00000001" + "00000002" + // "m", 1×2
		"0000000000000003" + "0000000000000004" + "0000000000000005" + "0000000000000006" +
		"00000007" + "0000000000000008" + "0000000000000009" + "000000000000000a" +
		"3fe0000000000000" + "3fd0000000000000" + // 0.5, 0.25
		"000000000000000b" + "000000000000000c" + "0000000d" +
		"00000001" + "00000001" + "70" + // players ["p"]
		"00000001" + "00000000" + "ffffffffffffffff" + "00000001" + "0000000000000002" + "0000000000000003" +
		"00000003" + "686974" + "0000000000000002" + // one input
		"00" + // not truncated
		"00000001" + "00000000" + "0000000000000001" + "00000001" + "00000000" + "00000000" + "00000001" + "00000000" +
		"01" // flagged
	require.Equal(t, want, hex.EncodeToString(r.Encode()))
}

func TestDecodeReplay_Rejects(t *testing.T) {
	t.Parallel()
	good := playedReplay(t).Replay("id").Encode()
	tests := map[string][]byte{
		"empty":         nil,
		"other magic":   append([]byte("proofstell/replay/v2"), good[20:]...),
		"truncated":     good[:len(good)-1],
		"trailing byte": append(append([]byte{}, good...), 0),
		"bad flag":      append(append([]byte{}, good[:len(good)-1]...), 2),
	}
	for name, b := range tests {
		_, err := DecodeReplay(b)
		require.ErrorIs(t, err, ErrBadReplay, name)
	}
	_, err := UnpackReplay([]byte("not deflate"))
	require.ErrorIs(t, err, ErrBadReplay)
}

// FuzzDecodeReplay: arbitrary bytes never panic, and what decodes
// re-encodes to the same bytes (the encoding is canonical).
func FuzzDecodeReplay(f *testing.F) {
	f.Add(playedReplay(f).Replay("id").Encode())
	f.Add([]byte("proofstell/replay/v1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeReplay(b)
		if err != nil {
			return
		}
		require.Equal(t, b, r.Encode())
	})
}

func TestRestore_RejectsBadInputs(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 4, "a")
	up := begin(t, g)
	whack(t, g, Whack{PlayerID: "a", Hole: up.Hole, MoleID: up.ID, At: ms(300)})
	good, err := g.Snapshot()
	require.NoError(t, err)
	for name, change := range map[string]func(map[string]any){
		"unknown player":   func(in map[string]any) { in["p"] = 1 },
		"hole off board":   func(in map[string]any) { in["hole"] = 9 },
		"bad judgement":    func(in map[string]any) { in["j"] = "lucky" },
		"negative allow":   func(in map[string]any) { in["allow"] = -1 },
		"negative mole id": func(in map[string]any) { in["moleId"] = -1 },
	} {
		var m map[string]any
		require.NoError(t, json.Unmarshal(good, &m))
		change(m["inputs"].([]any)[0].(map[string]any))
		data, err := json.Marshal(m)
		require.NoError(t, err)
		_, err = Restore(quickMode(), testLimits(), data)
		require.ErrorIs(t, err, ErrBadSnapshot, name)
	}
}
