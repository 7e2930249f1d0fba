package postgres_test

import (
	"crypto/sha256"
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

// TestStore_EachStandingCarriesReplayHash: the hash committed with a
// replay reaches the freeze through EachStanding with the game that set the
// standing; a game without a replay gives none, one stored without its
// hash gives the packed replay to hash; a v2 root and its
// standings (session ids, hashes) read back as saved.
func TestStore_EachStandingCarriesReplayHash(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	key := persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-24"}
	hash := sha256.Sum256([]byte("canonical replay"))
	commit := func(replay, replayHash []byte) (player, session string) {
		t.Helper()
		p := newGuest(t, s)
		id := uuid.NewString()
		require.NoError(t, s.CreateSession(ctxT(t), persistence.Session{ID: id, Mode: "classic", Kind: persistence.KindSolo,
			MaxPlayers: 1, CreatorID: p.ID, PlayerIDs: []string{p.ID}, State: persistence.StateRunning}))
		out, err := s.CommitResults(ctxT(t), []persistence.GameResult{{SessionID: id, Epoch: 1,
			State: persistence.StateFinished, Ranked: true, StartedAt: clk.Now(), EndedAt: clk.Now().Add(time.Second),
			Players: []persistence.PlayerResult{{PlayerID: p.ID, Score: 5, Hits: 5}},
			Standings: []persistence.StandingRecord{{Mode: key.Mode, Board: key.Board, Period: key.Period,
				PlayerID: p.ID, Username: "u", Score: 5, AchievedAt: clk.Now(), SessionID: id}},
			Replay: replay, ReplayHash: replayHash}})
		require.NoError(t, err)
		require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)
		return p.ID, id
	}
	withReplay, withSession := commit([]byte("packed"), hash[:])
	without, withoutSession := commit(nil, nil)
	legacy, _ := commit([]byte("stored before 029"), nil)

	got := map[string]persistence.Standing{}
	require.NoError(t, s.EachStanding(ctxT(t), key, func(st persistence.Standing) error {
		got[st.PlayerID] = st
		return nil
	}))
	require.Len(t, got, 3)
	require.Equal(t, withSession, got[withReplay].SessionID)
	require.Equal(t, hash[:], got[withReplay].ReplayHash)
	require.Nil(t, got[withReplay].UnhashedReplay)
	require.Equal(t, withoutSession, got[without].SessionID)
	require.Nil(t, got[without].ReplayHash)
	require.Nil(t, got[without].UnhashedReplay)
	require.Nil(t, got[legacy].ReplayHash)
	require.Equal(t, []byte("stored before 029"), got[legacy].UnhashedReplay, "the freeze hashes it")

	lease, err := s.AcquireLease(ctxT(t), persistence.SchedulerLease, "node-a", time.Hour)
	require.NoError(t, err)
	frozen := []persistence.PeriodStanding{
		{Rank: 1, PlayerID: withReplay, Score: 5, AchievedAt: clk.Now().UTC(), SessionID: withSession, ReplayHash: hash[:]},
		{Rank: 2, PlayerID: without, Score: 5, AchievedAt: clk.Now().UTC(), SessionID: withoutSession},
	}
	root := persistence.PeriodRoot{Mode: key.Mode, Board: key.Board, Period: key.Period, Root: "0xabc", LeafCount: 2,
		LeafVersion: 2}
	saved, err := s.SavePeriodRoot(ctxT(t), root, frozen, lease.Holder, lease.Epoch)
	require.NoError(t, err)
	require.True(t, saved)
	back, err := s.PeriodStandings(ctxT(t), key)
	require.NoError(t, err)
	for i := range back {
		back[i].AchievedAt = back[i].AchievedAt.UTC()
	}
	require.Equal(t, frozen, back)
	stored, err := s.PeriodRoot(ctxT(t), key)
	require.NoError(t, err)
	require.Equal(t, 2, stored.LeafVersion)

	root.Period, root.LeafVersion = "2026-11-25", 3
	_, err = s.SavePeriodRoot(ctxT(t), root, frozen, lease.Holder, lease.Epoch)
	require.Error(t, err, "an unknown leaf version is refused")
}
