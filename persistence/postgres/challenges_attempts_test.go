package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// attemptSession is a solo session of player for the challenge at at.
func attemptSession(player, challengeID string, at time.Time) persistence.Session {
	return persistence.Session{
		ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1, CreatorID: player,
		PlayerIDs: []string{player}, State: persistence.StateWaiting, Seed: 7, CreatedAt: at, ChallengeID: challengeID,
	}
}

func TestStore_CreateSession_ChallengeAttempts(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	now := clk.Now()
	p := newGuest(t, s)
	createChallenge(t, s, newChallenge("live", now.Add(-time.Minute), time.Hour)) // 2 attempts
	createChallenge(t, s, newChallenge("soon", now.Add(time.Hour), time.Hour))
	createChallenge(t, s, newChallenge("gone", now.Add(-time.Minute), time.Hour))
	_, err := s.CancelChallenge(ctxT(t), persistence.SystemActor("test"), "gone", now)
	require.NoError(t, err)
	tests := []struct {
		name, challenge string
		at              time.Time
		wantErr         error
	}{
		{"first attempt", "live", now, nil},
		{"second attempt", "live", now, nil},
		{"none left", "live", now, persistence.ErrNoAttemptsLeft},
		{"upcoming", "soon", now, persistence.ErrChallengeNotActive},
		{"cancelled", "gone", now, persistence.ErrChallengeNotActive},
		{"after its end", "soon", now.Add(2 * time.Hour), persistence.ErrChallengeNotActive},
		{"unknown", "nope", now, persistence.ErrNotFound},
	}
	var created []string
	for _, tc := range tests {
		ss := attemptSession(p.ID, tc.challenge, tc.at)
		err := s.CreateSession(ctxT(t), ss)
		if tc.wantErr != nil {
			require.ErrorIs(t, err, tc.wantErr, tc.name)
			_, err = s.Session(ctxT(t), ss.ID)
			require.ErrorIs(t, err, persistence.ErrNotFound, "%s: nothing written", tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		created = append(created, ss.ID)
	}
	attempts, err := s.PlayerAttempts(ctxT(t), "live", p.ID)
	require.NoError(t, err)
	require.Len(t, attempts, 2)
	for i, a := range attempts {
		require.Equal(t, i+1, a.Attempt)
		require.Equal(t, created[i], a.SessionID)
		require.False(t, a.Finished)
	}
	// The session names its challenge, when claimed and when read.
	claimed, err := s.ClaimSession(ctxT(t), created[0])
	require.NoError(t, err)
	require.Equal(t, "live", claimed.ChallengeID)
	read, err := s.Session(ctxT(t), created[1])
	require.NoError(t, err)
	require.Equal(t, "live", read.ChallengeID)

	// A banned player takes no attempt: nothing is written.
	banned := newGuest(t, s)
	exec(t, url, `UPDATE players SET banned_at = now() WHERE id = $1`, banned.ID)
	require.ErrorIs(t, s.CreateSession(ctxT(t), attemptSession(banned.ID, "live", now)), persistence.ErrPlayerBanned)
	attempts, err = s.PlayerAttempts(ctxT(t), "live", banned.ID)
	require.NoError(t, err)
	require.Empty(t, attempts)
}

// Many nodes racing for a player's last attempt: exactly one gets it. Each
// racer is its own Store (its own pool), as on separate nodes.
func TestStore_CreateSession_LastAttemptRace(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	now := clk.Now()
	p := newGuest(t, s)
	c := newChallenge("race", now.Add(-time.Minute), time.Hour)
	c.MaxAttempts = 3
	createChallenge(t, s, c)
	for range 2 {
		require.NoError(t, s.CreateSession(ctxT(t), attemptSession(p.ID, "race", now)))
	}
	const racers = 8
	stores := make([]*postgres.Store, racers)
	for i := range stores {
		st, err := postgres.Open(context.Background(), config.Database{URL: url, MaxConns: 2}, clk.Now)
		require.NoError(t, err)
		t.Cleanup(st.Close)
		stores[i] = st
	}
	start := make(chan struct{})
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i, st := range stores {
		wg.Go(func() {
			<-start
			errs[i] = st.CreateSession(ctxT(t), attemptSession(p.ID, "race", now))
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		require.ErrorIs(t, err, persistence.ErrNoAttemptsLeft)
	}
	require.Equal(t, 1, won)
	attempts, err := s.PlayerAttempts(ctxT(t), "race", p.ID)
	require.NoError(t, err)
	require.Len(t, attempts, 3)
}

// Racers for different attempt slots all get one while slots remain: a lost
// race counts again instead of giving up.
func TestStore_CreateSession_AttemptRaceRetries(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	now := clk.Now()
	p := newGuest(t, s)
	c := newChallenge("retry", now.Add(-time.Minute), time.Hour)
	c.MaxAttempts = 6
	createChallenge(t, s, c)
	const racers = 6
	errs := make([]error, racers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range racers {
		st, err := postgres.Open(context.Background(), config.Database{URL: url, MaxConns: 2}, clk.Now)
		require.NoError(t, err)
		t.Cleanup(st.Close)
		wg.Go(func() {
			<-start
			errs[i] = st.CreateSession(ctxT(t), attemptSession(p.ID, "retry", now))
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	attempts, err := s.PlayerAttempts(ctxT(t), "retry", p.ID)
	require.NoError(t, err)
	require.Len(t, attempts, racers)
}

// The commit of a challenge game records its attempt's score; its standings
// are what the session offered (the challenge's board only).
func TestStore_CommitResults_ChallengeAttempt(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	now := clk.Now()
	p := newGuest(t, s)
	createChallenge(t, s, newChallenge("scored", now.Add(-time.Minute), time.Hour))
	ss := attemptSession(p.ID, "scored", now)
	require.NoError(t, s.CreateSession(ctxT(t), ss))
	flagged := attemptSession(p.ID, "scored", now)
	require.NoError(t, s.CreateSession(ctxT(t), flagged))
	ss.Epoch, flagged.Epoch = 1, 1
	end := now.Add(40 * time.Second)
	r := soloResult(ss, p, 12, end)
	r.ChallengeID = "scored"
	r.Standings = []persistence.StandingRecord{{Mode: "classic", Board: "challenge", Period: "scored", PlayerID: p.ID,
		Username: p.Username, Score: 12, AchievedAt: end}}
	f := soloResult(flagged, p, 30, end)
	f.ChallengeID, f.Flagged, f.Players[0].Flagged, f.Standings = "scored", true, true, nil
	outcomes, err := s.CommitResults(ctxT(t), []persistence.GameResult{r, f})
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed, persistence.Committed}, outcomes)
	attempts, err := s.PlayerAttempts(ctxT(t), "scored", p.ID)
	require.NoError(t, err)
	require.Len(t, attempts, 2)
	require.True(t, attempts[0].Finished)
	require.Equal(t, int64(12), attempts[0].Score)
	require.True(t, attempts[0].FinishedAt.Equal(end))
	require.False(t, attempts[1].Finished, "a flagged attempt keeps no score")
}
