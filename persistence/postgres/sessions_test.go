package postgres_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func matchSession(creator, code string, state persistence.SessionState) persistence.Session {
	return persistence.Session{
		ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindMatch, JoinCode: code, MaxPlayers: 4,
		CreatorID: creator, PlayerIDs: []string{creator}, State: state, Seed: math.MaxUint64,
	}
}

func TestStore_CreateSession(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	in := matchSession(p.ID, "ABCD", persistence.StateWaiting)
	require.NoError(t, s.CreateSession(ctxT(t), in))

	got, err := s.Session(ctxT(t), in.ID)
	require.NoError(t, err)
	require.Equal(t, int64(1), got.Epoch)
	require.Equal(t, uint64(math.MaxUint64), got.Seed, "uint64 seed survives the bigint column")
	require.Nil(t, got.GameSeed, "a session without a 32-byte seed reads back none")
	require.Equal(t, in.PlayerIDs, got.PlayerIDs)
	require.Equal(t, "ABCD", got.JoinCode)
	require.True(t, got.CreatedAt.Equal(clk.Now()))
	require.True(t, got.StartedAt.IsZero())

	tests := []struct {
		name    string
		s       persistence.Session
		wantErr error
		exists  bool // the error also says the id is taken
	}{
		{name: "duplicate id", s: in, wantErr: persistence.ErrConflict, exists: true},
		{name: "open join code taken", s: matchSession(p.ID, "ABCD", persistence.StateCountdown), wantErr: persistence.ErrConflict},
		{name: "code of a closed session may repeat", s: matchSession(p.ID, "ABCD", persistence.StateRunning)},
		{name: "unknown mode", s: func() persistence.Session {
			x := matchSession(p.ID, "", persistence.StateWaiting)
			x.Mode = "nope"
			return x
		}(), wantErr: persistence.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.CreateSession(ctxT(t), tc.s)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Equal(t, tc.exists, errors.Is(err, persistence.ErrExists))
				return
			}
			require.NoError(t, err)
		})
	}
}

func TestStore_SessionIDByCode(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	p := newGuest(t, s)
	open := matchSession(p.ID, "OPEN", persistence.StateWaiting)
	running := matchSession(p.ID, "RUN", persistence.StateRunning)
	require.NoError(t, s.CreateSession(ctxT(t), open))
	require.NoError(t, s.CreateSession(ctxT(t), running))

	id, err := s.SessionIDByCode(ctxT(t), "OPEN")
	require.NoError(t, err)
	require.Equal(t, open.ID, id)
	_, err = s.SessionIDByCode(ctxT(t), "RUN")
	require.ErrorIs(t, err, persistence.ErrNotFound, "a started match is not joinable")
	_, err = s.SessionIDByCode(ctxT(t), "NONE")
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_ClaimSession(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	ss := newSession(t, s, p.ID, clk.Now())
	for want := int64(2); want <= 4; want++ {
		got, err := s.ClaimSession(ctxT(t), ss.ID)
		require.NoError(t, err)
		require.Equal(t, want, got.Epoch)
	}
	_, err := s.ClaimSession(ctxT(t), uuid.NewString())
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_SaveSnapshot(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	ss := newSession(t, s, p.ID, clk.Now())
	claimed, err := s.ClaimSession(ctxT(t), ss.ID)
	require.NoError(t, err)
	snap := persistence.Snapshot{SessionID: ss.ID, Epoch: claimed.Epoch, State: persistence.StateRunning,
		StartedAt: clk.Now(), Data: []byte("v1"), At: clk.Now()}
	require.NoError(t, s.SaveSnapshot(ctxT(t), snap))

	stale := snap
	stale.Epoch, stale.Data = 1, []byte("stale")
	require.ErrorIs(t, s.SaveSnapshot(ctxT(t), stale), persistence.ErrStaleEpoch)
	got, err := s.Session(ctxT(t), ss.ID)
	require.NoError(t, err)
	require.Equal(t, []byte("v1"), got.Snapshot, "a stale write changes nothing")
	require.True(t, got.StartedAt.Equal(clk.Now()))

	missing := snap
	missing.SessionID = uuid.NewString()
	require.ErrorIs(t, s.SaveSnapshot(ctxT(t), missing), persistence.ErrNotFound)

	outcomes, err := s.CommitResults(ctxT(t), []persistence.GameResult{soloResult(claimed, p, 5, clk.Now())})
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, outcomes)
	late := snap
	late.Data = []byte("late")
	require.ErrorIs(t, s.SaveSnapshot(ctxT(t), late), persistence.ErrConflict, "a final session is never overwritten")
}

func TestStore_Session_WithResults(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	ss := newSession(t, s, p.ID, clk.Now())
	end := clk.Now().Add(time.Minute)
	_, err := s.CommitResults(ctxT(t), []persistence.GameResult{soloResult(ss, p, 7, end)})
	require.NoError(t, err)
	got, err := s.Session(ctxT(t), ss.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.StateFinished, got.State)
	require.True(t, got.EndedAt.Equal(end))
	require.Len(t, got.Results, 1)
	require.Equal(t, int64(7), got.Results[0].Score)
	require.Equal(t, p.Username, got.Results[0].Username)
	_, err = s.Session(ctxT(t), "bad")
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_CreateSessionGameSeed(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	p := newGuest(t, s)
	in := matchSession(p.ID, "SEED", persistence.StateWaiting)
	in.Seed = 0
	in.GameSeed = []byte("0123456789abcdef0123456789abcdef")
	require.NoError(t, s.CreateSession(ctxT(t), in))
	got, err := s.Session(ctxT(t), in.ID)
	require.NoError(t, err)
	require.Equal(t, in.GameSeed, got.GameSeed)

	short := matchSession(p.ID, "SHRT", persistence.StateWaiting)
	short.GameSeed = []byte("too short")
	require.Error(t, s.CreateSession(ctxT(t), short), "the column holds 32 bytes or nothing")
}
