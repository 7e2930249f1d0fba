package playbot

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

func frame(typ string, id int64, payload string) wsclient.Frame {
	return wsclient.Frame{T: typ, ID: id, D: json.RawMessage(payload)}
}

// A whole solo game, frame by frame: what is printed, whacked and returned.
func TestPlayer_Handle(t *testing.T) {
	t.Parallel()
	p := NewPlayer("me", 1, DefaultReflex(fixed(0.5)))
	tests := []struct {
		name  string
		frame wsclient.Frame
		want  Step
	}{
		{name: "start ack", frame: frame("ack", 1, `{"sessionId":"s1","mode":"classic","board":{"rows":3,"cols":3},"durationMs":30000}`),
			want: Step{Line: "game s1: mode classic, 3×3 board, 30s"}},
		{name: "countdown", frame: frame("game:state-change", 0, `{"gameId":"s1","state":"waiting","startsInMs":3000,"players":1}`),
			want: Step{Line: "waiting: starts in 3s"}},
		{name: "started", frame: frame("game:state-change", 0, `{"gameId":"s1","state":"started","players":1}`),
			want: Step{Line: "started: whack!"}},
		{name: "mole", frame: frame("game:mole", 0, `{"gameId":"s1","moleId":1,"hole":4,"kind":"normal","upMs":800}`),
			want: Step{Line: "normal mole #1 up at hole 4 for 800ms: whacking in 375ms",
				Whack: &Whack{After: 375 * time.Millisecond, SessionID: "s1", Hole: 4, MoleID: 1}}},
		{name: "bomb", frame: frame("game:mole", 0, `{"gameId":"s1","moleId":2,"hole":0,"kind":"bomb","upMs":800}`),
			want: Step{Line: "bomb mole #2 up at hole 0 for 800ms: a bomb, leaving it"}},
		{name: "hit", frame: frame("game:hit", 2, `{"gameId":"s1","moleId":1,"hole":4,"playerId":"me","points":1,"score":1}`),
			want: Step{Line: "hit mole #1 at hole 4: +1, score 1"}},
		{name: "miss", frame: frame("game:miss", 3, `{"gameId":"s1","hole":5,"playerId":"me","reason":"expired","score":1}`),
			want: Step{Line: "miss at hole 5 (expired): score 1"}},
		{name: "refused whack goes on", frame: frame("error", 4, `{"code":"rate_limited","message":"too many messages"}`),
			want: Step{Line: "refused: too many messages (rate_limited)"}},
		{name: "paused", frame: frame("game:state-change", 0, `{"gameId":"s1","state":"paused","reason":"moving"}`),
			want: Step{Line: "paused (moving)"}},
		{name: "resumed", frame: frame("game:state-change", 0, `{"gameId":"s1","state":"started","remainingMs":1500}`),
			want: Step{Line: "started: 1.5s left"}},
		{name: "ignored", frame: frame("leaderboard:update", 0, `{}`), want: Step{}},
		{name: "over", frame: frame("game:over", 0, `{"gameId":"s1","results":[{"playerId":"other","score":9},{"playerId":"me","score":27,"hits":27,"misses":2}],"flagged":false}`),
			want: Step{Line: "game over: score 27 (27 hits, 2 misses)", Over: &Result{PlayerID: "me", Score: 27, Hits: 27, Misses: 2}}},
	}
	for _, tt := range tests { // in order: the player keeps the session id
		require.Equal(t, tt.want, p.Handle(tt.frame), tt.name)
	}
}

func TestPlayer_Handle_failures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		frame    wsclient.Frame
		wantLine string
		wantErr  error
		wantMsg  string
	}{
		{name: "start refused", frame: frame("error", 1, `{"code":"mode_not_found","message":"no such mode"}`),
			wantErr: ErrRefused, wantMsg: "game refused: no such mode (mode_not_found)"},
		{name: "aborted", frame: frame("game:state-change", 0, `{"gameId":"s1","state":"ended","reason":"aborted"}`),
			wantLine: "ended (aborted)", wantErr: ErrNoResult, wantMsg: "game ended without a result: the game was aborted"},
		{name: "over without me", frame: frame("game:over", 0, `{"results":[{"playerId":"other","score":3}]}`),
			wantErr: ErrNoResult},
		{name: "bad payload", frame: frame("game:mole", 0, `{"hole":"four"}`), wantMsg: "decode game:mole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			step := NewPlayer("me", 1, DefaultReflex(fixed(0))).Handle(tt.frame)
			require.Error(t, step.Err)
			require.Equal(t, tt.wantLine, step.Line)
			if tt.wantErr != nil {
				require.ErrorIs(t, step.Err, tt.wantErr)
			}
			require.ErrorContains(t, step.Err, tt.wantMsg)
			require.Nil(t, step.Over)
		})
	}
}

func TestFormatRank(t *testing.T) {
	t.Parallel()
	require.Equal(t, "daily leaderboard: rank 3 of 12 (score 27)",
		FormatRank("daily", wsclient.Standing{Rank: 3, Score: 27, Total: 12}, true))
	require.Equal(t, "daily leaderboard: not ranked", FormatRank("daily", wsclient.Standing{}, false))
}

func TestFormatHit_otherPlayer(t *testing.T) {
	t.Parallel()
	require.Equal(t, "player p2 hit mole #7 at hole 1: +3, score 12",
		formatHit(Hit{MoleID: 7, Hole: 1, PlayerID: "p2", Points: 3, Score: 12}, "me"))
}
