package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func ptr[T any](v T) *T { return &v }

func TestStore_UpdateProfile(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	p, other := newGuest(t, s), newGuest(t, s)

	got, err := s.UpdateProfile(ctxT(t), p.ID, persistence.ProfileUpdate{Username: ptr("Mole_One"), DisplayName: ptr("Mole One")})
	require.NoError(t, err)
	require.Equal(t, "Mole_One", got.Username)
	require.Equal(t, "Mole One", got.DisplayName)
	require.Equal(t, persistence.RolePlayer, got.Role)

	got, err = s.UpdateProfile(ctxT(t), p.ID, persistence.ProfileUpdate{DisplayName: ptr("")})
	require.NoError(t, err)
	require.Equal(t, "Mole_One", got.Username, "nil fields unchanged")
	require.Empty(t, got.DisplayName)

	_, err = s.UpdateProfile(ctxT(t), other.ID, persistence.ProfileUpdate{Username: ptr("mole_one")})
	require.ErrorIs(t, err, persistence.ErrConflict, "usernames are unique regardless of case")
	_, err = s.UpdateProfile(ctxT(t), "00000000-0000-4000-8000-000000000000", persistence.ProfileUpdate{DisplayName: ptr("x")})
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

// A rename reaches the names stored with the player's standings, so a board
// rebuilt from Postgres shows the new name.
func TestStore_UpdateProfile_RenamesStandings(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	ss := newSession(t, s, p.ID, clk.Now())
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, commit(t, s, soloResult(ss, p, 12, clk.Now())))

	_, err := s.UpdateProfile(ctxT(t), p.ID, persistence.ProfileUpdate{Username: ptr("Renamed_Mole")})
	require.NoError(t, err)
	names := map[string]bool{}
	require.NoError(t, s.EachStanding(ctxT(t), persistence.BoardKey{Mode: "classic", Board: "global", Period: "all"}, func(st persistence.Standing) error {
		if st.PlayerID == p.ID {
			names[st.Username] = true
		}
		return nil
	}))
	require.Equal(t, map[string]bool{"Renamed_Mole": true}, names)
}

func TestStore_SetAvatar(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	p := newGuest(t, s)
	const a1, a2 = "0123456789abcdef0123456789abcdef.png", "fedcba9876543210fedcba9876543210.png"
	prev, err := s.SetAvatar(ctxT(t), p.ID, a1)
	require.NoError(t, err)
	require.Empty(t, prev)
	prev, err = s.SetAvatar(ctxT(t), p.ID, a2)
	require.NoError(t, err)
	require.Equal(t, a1, prev)
	got, err := s.Player(ctxT(t), p.ID)
	require.NoError(t, err)
	require.Equal(t, a2, got.Avatar)
	_, err = s.SetAvatar(ctxT(t), p.ID, "../../etc/passwd")
	require.Error(t, err, "the schema refuses anything but a generated name")
	_, err = s.SetAvatar(ctxT(t), "00000000-0000-4000-8000-000000000000", a1)
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_AdminUpdate(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	got, err := s.AdminUpdate(ctxT(t), persistence.SystemActor("test"), p.ID, persistence.AdminUpdate{Role: ptr(persistence.RoleModerator), Banned: ptr(true)}, clk.Now())
	require.NoError(t, err)
	require.Equal(t, persistence.RoleModerator, got.Role)
	require.True(t, got.Banned())
	bannedAt := *got.BannedAt

	clk.Advance(1e9)
	got, err = s.AdminUpdate(ctxT(t), persistence.SystemActor("test"), p.ID, persistence.AdminUpdate{Banned: ptr(true)}, clk.Now())
	require.NoError(t, err)
	require.True(t, bannedAt.Equal(*got.BannedAt), "a second ban keeps the first time")

	got, err = s.AdminUpdate(ctxT(t), persistence.SystemActor("test"), p.ID, persistence.AdminUpdate{Banned: ptr(false)}, clk.Now())
	require.NoError(t, err)
	require.False(t, got.Banned())
	require.Equal(t, persistence.RoleModerator, got.Role)

	_, err = s.AdminUpdate(ctxT(t), persistence.SystemActor("test"), p.ID, persistence.AdminUpdate{Role: ptr(persistence.Role("root"))}, clk.Now())
	require.Error(t, err)
	_, err = s.AdminUpdate(ctxT(t), persistence.SystemActor("test"), "00000000-0000-4000-8000-000000000000", persistence.AdminUpdate{Banned: ptr(true)}, clk.Now())
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_ListPlayers(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	names := []string{"alpha", "Bravo", "bravo_2", "charlie", "al_pha"}
	ids := map[string]string{}
	for _, n := range names {
		p := newGuest(t, s)
		_, err := s.UpdateProfile(ctxT(t), p.ID, persistence.ProfileUpdate{Username: ptr(n)})
		require.NoError(t, err)
		ids[n] = p.ID
	}
	var all []string
	cursor := ""
	for {
		page, next, err := s.ListPlayers(ctxT(t), persistence.PlayerQuery{Limit: 2, Cursor: cursor})
		require.NoError(t, err)
		for _, p := range page {
			all = append(all, p.Username)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	require.Equal(t, []string{"al_pha", "alpha", "Bravo", "bravo_2", "charlie"}, all)

	page, _, err := s.ListPlayers(ctxT(t), persistence.PlayerQuery{Text: "BRAV"})
	require.NoError(t, err)
	require.Len(t, page, 2)
	page, _, err = s.ListPlayers(ctxT(t), persistence.PlayerQuery{Text: "al_"})
	require.NoError(t, err)
	require.Len(t, page, 1, "underscore is literal, not a wildcard")
	page, _, err = s.ListPlayers(ctxT(t), persistence.PlayerQuery{Text: ids["charlie"]})
	require.NoError(t, err)
	require.Len(t, page, 1)
	_, _, err = s.ListPlayers(ctxT(t), persistence.PlayerQuery{Cursor: "!!"})
	require.ErrorIs(t, err, persistence.ErrBadCursor)
}
