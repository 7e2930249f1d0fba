package postgres_test

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// newChallenge is a scheduled classic challenge over [start, start+window).
func newChallenge(id string, start time.Time, window time.Duration) persistence.Challenge {
	rows, hit := 4, 2
	return persistence.Challenge{
		ID: id, Title: "Challenge " + id, Description: "four rows", Mode: "classic",
		Overrides: persistence.ModeUpdate{Rows: &rows, HitPoints: &hit},
		StartsAt:  start, EndsAt: start.Add(window), MaxAttempts: 2, RewardTop: 3,
	}
}

func createChallenge(t testing.TB, s *postgres.Store, c persistence.Challenge) persistence.Challenge {
	t.Helper()
	out, err := s.CreateChallenge(ctxT(t), persistence.SystemActor("test"), c)
	require.NoError(t, err)
	return out
}

func TestStore_CreateChallenge(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	now := clk.Now()
	badge, err := s.CreateBadge(ctxT(t), persistence.SystemActor("test"), newBadge("challenge-reward"))
	require.NoError(t, err)
	createChallenge(t, s, newChallenge("taken", now, time.Hour))
	bad := 11
	tests := []struct {
		name    string
		edit    func(*persistence.Challenge)
		wantErr error
		field   string
	}{
		{"created", func(c *persistence.Challenge) { c.RewardBadge = badge.ID }, nil, ""},
		{"id taken", func(c *persistence.Challenge) { c.ID = "taken" }, persistence.ErrExists, ""},
		{"unknown mode", func(c *persistence.Challenge) { c.Mode = "nope" }, persistence.ErrNotFound, ""},
		{"unknown badge", func(c *persistence.Challenge) { c.RewardBadge = uuid.NewString() }, persistence.ErrNotFound, ""},
		{"malformed badge", func(c *persistence.Challenge) { c.RewardBadge = "x" }, persistence.ErrNotFound, ""},
		{"rule broken", func(c *persistence.Challenge) { c.Overrides.Rows = &bad }, nil, "rows"},
	}
	for i, tc := range tests {
		c := newChallenge("c-"+string(rune('a'+i)), now, time.Hour)
		tc.edit(&c)
		got, err := s.CreateChallenge(ctxT(t), persistence.SystemActor("test"), c)
		switch {
		case tc.field != "":
			var rule *persistence.ModeRuleError
			require.ErrorAs(t, err, &rule, tc.name)
			require.Equal(t, tc.field, rule.Field, tc.name)
		case tc.wantErr != nil:
			require.ErrorIs(t, err, tc.wantErr, tc.name)
		default:
			require.NoError(t, err, tc.name)
			stored, err := s.Challenge(ctxT(t), c.ID)
			require.NoError(t, err)
			require.Equal(t, got, stored, tc.name)
			require.Equal(t, persistence.ChallengeScheduled, stored.Kind)
			require.Equal(t, badge.ID, stored.RewardBadge)
			// The rules are classic's with the overrides, versioned as the mode was.
			classic, err := s.Mode(ctxT(t), "classic")
			require.NoError(t, err)
			want := classic
			want.Rows, want.HitPoints = 4, 2
			require.Equal(t, want, stored.Rules)
			require.Equal(t, 4, *stored.Overrides.Rows)
			require.Nil(t, stored.Overrides.Cols)
		}
	}
	_, err = s.Challenge(ctxT(t), "missing")
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

// A later edit of the mode changes no challenge: its rules are a snapshot.
func TestStore_ChallengeRulesSurviveModeEdit(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	c := createChallenge(t, s, newChallenge("snap", clk.Now(), time.Hour))
	cols := 5
	_, err := s.UpdateMode(ctxT(t), persistence.SystemActor("test"), "classic", persistence.ModeUpdate{Cols: &cols})
	require.NoError(t, err)
	got, err := s.Challenge(ctxT(t), "snap")
	require.NoError(t, err)
	require.Equal(t, c.Rules, got.Rules)
	require.Equal(t, 3, got.Rules.Cols)
}

func TestStore_UpdateChallenge(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	now := clk.Now()
	createChallenge(t, s, newChallenge("upcoming", now.Add(time.Hour), time.Hour))
	createChallenge(t, s, newChallenge("running", now.Add(-time.Minute), time.Hour))
	createChallenge(t, s, newChallenge("over", now.Add(-2*time.Hour), time.Hour))
	cols := 5
	tests := []struct {
		name, id string
		edit     func(*persistence.Challenge)
		wantErr  error
		check    func(persistence.Challenge)
	}{
		{"upcoming rules", "upcoming", func(c *persistence.Challenge) { c.Overrides.Cols = &cols; c.MaxAttempts = 5 }, nil,
			func(c persistence.Challenge) {
				require.Equal(t, 5, c.Rules.Cols)
				require.Equal(t, 4, c.Rules.Rows)
				require.Equal(t, 5, c.MaxAttempts)
			}},
		{"upcoming mode", "upcoming", func(c *persistence.Challenge) { c.Mode = "frenzy" }, nil,
			func(c persistence.Challenge) { require.Equal(t, "frenzy", c.Rules.Name) }},
		{"running title", "running", func(c *persistence.Challenge) { c.Title = "Renamed" }, nil,
			func(c persistence.Challenge) { require.Equal(t, "Renamed", c.Title) }},
		{"running rules", "running", func(c *persistence.Challenge) { c.Overrides.Cols = &cols }, persistence.ErrChallengeNotActive, nil},
		{"running window", "running", func(c *persistence.Challenge) { c.EndsAt = c.EndsAt.Add(time.Hour) }, persistence.ErrChallengeNotActive, nil},
		{"ended title", "over", func(c *persistence.Challenge) { c.Title = "Late" }, persistence.ErrChallengeNotActive, nil},
		{"missing", "nope", func(*persistence.Challenge) {}, persistence.ErrNotFound, nil},
	}
	for _, tc := range tests {
		got, err := s.UpdateChallenge(ctxT(t), persistence.SystemActor("test"), tc.id, func(c *persistence.Challenge) error { tc.edit(c); return nil }, now)
		if tc.wantErr != nil {
			require.ErrorIs(t, err, tc.wantErr, tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		stored, err := s.Challenge(ctxT(t), tc.id)
		require.NoError(t, err)
		require.Equal(t, got, stored, tc.name)
		tc.check(stored)
	}
}

func TestStore_CancelChallenge(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	now := clk.Now()
	createChallenge(t, s, newChallenge("live", now.Add(-time.Minute), time.Hour))
	createChallenge(t, s, newChallenge("over", now.Add(-2*time.Hour), time.Hour))
	c, err := s.CancelChallenge(ctxT(t), persistence.SystemActor("test"), "live", now)
	require.NoError(t, err)
	require.Equal(t, persistence.ChallengeCancelled, c.StatusAt(now))
	again, err := s.CancelChallenge(ctxT(t), persistence.SystemActor("test"), "live", now.Add(time.Minute))
	require.NoError(t, err, "idempotent")
	require.True(t, again.CancelledAt.Equal(c.CancelledAt))
	_, err = s.CancelChallenge(ctxT(t), persistence.SystemActor("test"), "over", now)
	require.ErrorIs(t, err, persistence.ErrChallengeNotActive)
	_, err = s.CancelChallenge(ctxT(t), persistence.SystemActor("test"), "nope", now)
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_Challenges(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	now := clk.Now()
	for _, c := range []persistence.Challenge{
		newChallenge("active-late", now.Add(-time.Hour), 3*time.Hour),
		newChallenge("active-soon", now.Add(-time.Hour), 2*time.Hour),
		newChallenge("active-mid", now.Add(-time.Minute), 100*time.Minute),
		newChallenge("upcoming-b", now.Add(2*time.Hour), time.Hour),
		newChallenge("upcoming-a", now.Add(time.Hour), time.Hour),
		newChallenge("past-old", now.Add(-5*time.Hour), time.Hour),
		newChallenge("past-new", now.Add(-3*time.Hour), time.Hour),
		newChallenge("cancelled", now.Add(time.Hour), time.Hour),
	} {
		createChallenge(t, s, c)
	}
	_, err := s.CancelChallenge(ctxT(t), persistence.SystemActor("test"), "cancelled", now)
	require.NoError(t, err)
	tests := []struct {
		status persistence.ChallengeStatus
		want   []string
	}{
		{persistence.ChallengeActive, []string{"active-soon", "active-mid", "active-late"}},
		{persistence.ChallengeUpcoming, []string{"upcoming-a", "upcoming-b"}},
		{persistence.ChallengeEnded, []string{"past-new", "past-old"}},
		{persistence.ChallengeCancelled, []string{"cancelled"}},
	}
	for _, tc := range tests {
		var got []string
		cursor := ""
		for pages := 0; pages < 10; pages++ {
			list, next, err := s.Challenges(ctxT(t), persistence.ChallengePage{Status: tc.status, Now: now, Limit: 2, Cursor: cursor})
			require.NoError(t, err)
			for _, c := range list {
				got = append(got, c.ID)
			}
			if next == "" {
				break
			}
			cursor = next
		}
		require.Equal(t, tc.want, got, tc.status)
	}
	_, next, err := s.Challenges(ctxT(t), persistence.ChallengePage{Status: persistence.ChallengeActive, Now: now, Limit: 1})
	require.NoError(t, err)
	for _, bad := range []string{"!!", "eA", base64.RawURLEncoding.EncodeToString([]byte("active|soon|x"))} {
		_, _, err = s.Challenges(ctxT(t), persistence.ChallengePage{Status: persistence.ChallengeActive, Now: now, Cursor: bad})
		require.ErrorIs(t, err, persistence.ErrBadCursor, bad)
	}
	// A cursor of one listing does not continue another.
	_, _, err = s.Challenges(ctxT(t), persistence.ChallengePage{Status: persistence.ChallengeUpcoming, Now: now, Cursor: next})
	require.ErrorIs(t, err, persistence.ErrBadCursor)
}
