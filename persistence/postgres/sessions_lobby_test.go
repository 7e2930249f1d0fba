package postgres_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func TestStore_CreateSession_RefusesBannedPlayers(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	banned, other := newGuest(t, s), newGuest(t, s)
	banAt(t, s, banned.ID, clk.Now())
	tests := []struct {
		name    string
		session persistence.Session
		wantErr error
	}{
		{name: "banned creator of a match", session: matchSession(banned.ID, "BANNED", persistence.StateWaiting),
			wantErr: persistence.ErrPlayerBanned},
		{name: "banned solo player", session: newSoloSession(banned.ID), wantErr: persistence.ErrPlayerBanned},
		{name: "banned player listed by another creator", session: func() persistence.Session {
			x := matchSession(other.ID, "", persistence.StateWaiting)
			x.PlayerIDs = append(x.PlayerIDs, banned.ID)
			return x
		}(), wantErr: persistence.ErrPlayerBanned},
		{name: "player in good standing", session: newSoloSession(other.ID)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.CreateSession(ctxT(t), tc.session)
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.wantErr)
			_, err = s.Session(ctxT(t), tc.session.ID)
			require.ErrorIs(t, err, persistence.ErrNotFound, "nothing was written")
		})
	}
}

func newSoloSession(player string) persistence.Session {
	return persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1,
		CreatorID: player, PlayerIDs: []string{player}, Seed: 7}
}

func TestStore_JoinSession(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	creator, joiner, banned := newGuest(t, s), newGuest(t, s), newGuest(t, s)
	banAt(t, s, banned.ID, clk.Now())
	lobby := func(state persistence.SessionState, maxPlayers int) string {
		x := matchSession(creator.ID, "", state)
		x.MaxPlayers = maxPlayers
		require.NoError(t, s.CreateSession(ctxT(t), x))
		return x.ID
	}
	tests := []struct {
		name        string
		session     string
		epoch       int64
		player      string
		wantErr     error
		wantPlayers int
	}{
		{name: "joins", session: lobby(persistence.StateWaiting, 4), epoch: 1, player: joiner.ID, wantPlayers: 2},
		{name: "member again is a no-op", session: lobby(persistence.StateWaiting, 4), epoch: 1, player: creator.ID,
			wantPlayers: 1},
		{name: "banned player", session: lobby(persistence.StateWaiting, 4), epoch: 1, player: banned.ID,
			wantErr: persistence.ErrPlayerBanned, wantPlayers: 1},
		{name: "stale epoch", session: lobby(persistence.StateWaiting, 4), epoch: 2, player: joiner.ID,
			wantErr: persistence.ErrStaleEpoch, wantPlayers: 1},
		{name: "full", session: lobby(persistence.StateWaiting, 1), epoch: 1, player: joiner.ID,
			wantErr: persistence.ErrConflict, wantPlayers: 1},
		{name: "already counting down", session: lobby(persistence.StateCountdown, 4), epoch: 1, player: joiner.ID,
			wantErr: persistence.ErrConflict, wantPlayers: 1},
		{name: "missing", session: uuid.NewString(), epoch: 1, player: joiner.ID, wantErr: persistence.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.JoinSession(ctxT(t), persistence.SessionJoin{SessionID: tc.session, Epoch: tc.epoch, PlayerID: tc.player})
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			if tc.wantPlayers > 0 {
				got, err := s.Session(ctxT(t), tc.session)
				require.NoError(t, err)
				require.Len(t, got.PlayerIDs, tc.wantPlayers)
			}
		})
	}
}

func TestStore_ExpireLobbies(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	creator, joiner := newGuest(t, s), newGuest(t, s)
	now := clk.Now()
	create := func(code string, state persistence.SessionState, age time.Duration) persistence.Session {
		x := matchSession(creator.ID, code, state)
		x.PlayerIDs, x.CreatedAt = []string{creator.ID, joiner.ID}, now.Add(-age)
		require.NoError(t, s.CreateSession(ctxT(t), x))
		return x
	}
	old := create("OLD001", persistence.StateWaiting, 14*time.Minute)
	fresh := create("NEW001", persistence.StateWaiting, time.Minute)
	running := create("RUN001", persistence.StateRunning, time.Hour)

	n, err := s.ExpireLobbies(ctxT(t), now.Add(-10*time.Minute), now)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = s.ExpireLobbies(ctxT(t), now.Add(-10*time.Minute), now)
	require.NoError(t, err)
	require.Zero(t, n, "idempotent")

	tests := []struct {
		name       string
		session    persistence.Session
		wantState  persistence.SessionState
		wantReason string
		wantEpoch  int64
		joinable   bool
	}{
		{name: "orphaned lobby is closed", session: old, wantState: persistence.StateAborted,
			wantReason: persistence.AbortLobbyExpired, wantEpoch: 2},
		{name: "young lobby stays open", session: fresh, wantState: persistence.StateWaiting, wantEpoch: 1, joinable: true},
		{name: "game in play is untouched", session: running, wantState: persistence.StateRunning, wantEpoch: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, players := storedPlayers(t, s, tc.session.ID)
			require.Equal(t, tc.wantState, got.State)
			require.Equal(t, tc.wantReason, got.EndReason)
			require.Equal(t, tc.wantEpoch, got.Epoch, "an activation still holding a closed lobby is fenced")
			_, err := s.SessionIDByCode(ctxT(t), tc.session.JoinCode)
			if tc.joinable {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, persistence.ErrNotFound)
			if tc.wantState == persistence.StateAborted {
				require.True(t, got.EndedAt.Equal(now))
				require.Equal(t, persistence.AbortLobbyExpired, players[joiner.ID].Voided, "its players see it aborted")
				require.Equal(t, counts{players: 2}, countRows(t, url, tc.session.ID))
			}
		})
	}
}
