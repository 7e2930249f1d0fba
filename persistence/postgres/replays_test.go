package postgres_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func TestStore_SessionReplay(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	commit := func(state persistence.SessionState, replay []byte) string {
		t.Helper()
		id := uuid.NewString()
		require.NoError(t, s.CreateSession(ctxT(t), persistence.Session{ID: id, Mode: "classic", Kind: persistence.KindSolo,
			MaxPlayers: 1, CreatorID: p.ID, PlayerIDs: []string{p.ID}, State: persistence.StateRunning}))
		out, err := s.CommitResults(ctxT(t), []persistence.GameResult{{SessionID: id, Epoch: 1, State: state,
			Reason: persistence.AbortLobbyExpired, StartedAt: clk.Now(), EndedAt: clk.Now().Add(time.Second),
			Players: []persistence.PlayerResult{{PlayerID: p.ID, Score: 1, Hits: 1}}, Replay: replay}})
		require.NoError(t, err)
		require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)
		return id
	}
	finished := commit(persistence.StateFinished, []byte("packed replay"))
	got, err := s.SessionReplay(ctxT(t), finished)
	require.NoError(t, err)
	require.Equal(t, []byte("packed replay"), got)

	for name, id := range map[string]string{
		"finished without a replay": commit(persistence.StateFinished, nil),
		"aborted":                   commit(persistence.StateAborted, []byte("never stored")),
		"unknown":                   uuid.NewString(),
	} {
		_, err := s.SessionReplay(ctxT(t), id)
		require.ErrorIs(t, err, persistence.ErrNotFound, name)
	}
}
