package postgres_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// auditEntries is the whole log, newest first.
func auditEntries(t *testing.T, s *postgres.Store) []persistence.AuditEntry {
	t.Helper()
	page, err := s.ListAudit(ctxT(t), persistence.AuditQuery{Limit: 200})
	require.NoError(t, err)
	require.Empty(t, page.Next)
	return page.Entries
}

// auditStep is one audited action and the entry it must write.
type auditStep struct {
	name                         string
	do                           func(t *testing.T) error
	action, targetKind, targetID string
	// before and after say whether the entry carries a before or after
	// state (a create has no before, a delete no after).
	before, after bool
}

// TestStore_Audit_EachActionWritesOneEntry: every audited store method
// writes exactly one entry, with the caller as actor, its target and its
// before and after states; an unaudited award (the badge evaluator's)
// writes none.
func TestStore_Audit_EachActionWritesOneEntry(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	ctx := ctxT(t)
	admin, target := newGuest(t, s), newGuest(t, s)
	by := persistence.StaffActor(admin.ID, persistence.RoleAdmin, "203.0.113.7", "req-audit-1")
	role, banned := persistence.RoleModerator, true
	unbanned := false
	var badge persistence.Badge
	var mint persistence.MintRequest
	var flag persistence.Flag
	zen := persistence.Mode{Name: "zen", Level: "easy", Rows: 2, Cols: 2, Duration: 10 * time.Second,
		SpawnInterval: time.Second, Visible: time.Second, MaxMolesUp: 1, HitPoints: 1, MaxPlayers: 1, Active: true}
	challenge := newChallenge("audit-weekly", clk.Now().Add(time.Hour), time.Hour)
	var broadcastID string
	steps := []auditStep{
		{"role", func(*testing.T) error {
			_, err := s.AdminUpdate(ctx, by, target.ID, persistence.AdminUpdate{Role: &role}, clk.Now())
			return err
		}, persistence.ActionPlayerRole, "player", target.ID, true, true},
		{"ban", func(*testing.T) error {
			_, err := s.AdminUpdate(ctx, by, target.ID, persistence.AdminUpdate{Banned: &banned}, clk.Now())
			return err
		}, persistence.ActionPlayerBan, "player", target.ID, true, true},
		{"unban", func(*testing.T) error {
			_, err := s.AdminUpdate(ctx, by, target.ID, persistence.AdminUpdate{Banned: &unbanned}, clk.Now())
			return err
		}, persistence.ActionPlayerUnban, "player", target.ID, true, true},
		{"badge create", func(*testing.T) error {
			nb := newBadge("audited")
			nb.Mintable = true
			var err error
			badge, err = s.CreateBadge(ctx, by, nb)
			return err
		}, persistence.ActionBadgeCreate, "badge", "", false, true},
		{"badge update", func(*testing.T) error {
			name := "Audited badge"
			_, err := s.UpdateBadge(ctx, by, badge.ID, persistence.BadgeUpdate{Name: &name})
			return err
		}, persistence.ActionBadgeUpdate, "badge", "", true, true},
		{"badge award", func(*testing.T) error {
			_, err := s.AdminAwardBadge(ctx, by, target.ID, badge.ID)
			return err
		}, persistence.ActionBadgeAward, "player_badge", "", false, true},
		{"badge revoke", func(*testing.T) error { return s.RevokeBadge(ctx, by, target.ID, badge.ID) },
			persistence.ActionBadgeRevoke, "player_badge", "", true, false},
		{"mint retry", func(t *testing.T) error {
			_, err := s.LinkWallet(ctx, target.ID, persistence.ChainStellar, stellarAddr('A'))
			require.NoError(t, err)
			_, err = s.AwardBadge(ctx, target.ID, badge.ID, persistence.SourceAuto) // the evaluator's: not audited
			require.NoError(t, err)
			exec(t, url, `UPDATE mint_requests SET status = 'failed', reason = 'reverted' WHERE player_id = $1`, target.ID)
			mints, err := s.PlayerMints(ctx, target.ID)
			require.NoError(t, err)
			mint = mints[0]
			_, err = s.RetryMint(ctx, by, mint.ID, clk.Now())
			return err
		}, persistence.ActionMintRetry, "mint", "", true, true},
		{"badge delete", func(*testing.T) error { return s.DeleteBadge(ctx, by, badge.ID) },
			persistence.ActionBadgeDelete, "badge", "", true, false},
		{"flag clear", func(t *testing.T) error {
			flaggedMatch(t, s, clk.Now())
			flag = openFlag(t, s)
			_, err := s.ClearFlag(ctx, by, persistence.FlagDecision{FlagID: flag.ID, By: admin.ID, Reason: "fast hands"})
			return err
		}, persistence.ActionFlagClear, "flag", "", true, true},
		{"mode create", func(*testing.T) error { _, err := s.CreateMode(ctx, by, zen); return err },
			persistence.ActionModeCreate, "mode", "zen", false, true},
		{"mode update", func(*testing.T) error {
			rows := 3
			_, err := s.UpdateMode(ctx, by, "zen", persistence.ModeUpdate{Rows: &rows})
			return err
		}, persistence.ActionModeUpdate, "mode", "zen", true, true},
		{"challenge create", func(*testing.T) error { _, err := s.CreateChallenge(ctx, by, challenge); return err },
			persistence.ActionChallengeCreate, "challenge", challenge.ID, false, true},
		{"challenge update", func(*testing.T) error {
			_, err := s.UpdateChallenge(ctx, by, challenge.ID, func(c *persistence.Challenge) error {
				c.Title = "Renamed"
				return nil
			}, clk.Now())
			return err
		}, persistence.ActionChallengeUpdate, "challenge", challenge.ID, true, true},
		{"challenge cancel", func(*testing.T) error {
			_, err := s.CancelChallenge(ctx, by, challenge.ID, clk.Now())
			return err
		}, persistence.ActionChallengeCancel, "challenge", challenge.ID, true, true},
		{"language create", func(*testing.T) error {
			_, err := s.CreateLanguage(ctx, by, persistence.Language{Code: "fr", Name: "French", Active: true})
			return err
		}, persistence.ActionLanguageCreate, "language", "fr", false, true},
		{"language update", func(*testing.T) error {
			name := "Français"
			_, err := s.UpdateLanguage(ctx, by, "fr", persistence.LanguagePatch{Name: &name})
			return err
		}, persistence.ActionLanguageUpdate, "language", "fr", true, true},
		{"language default", func(*testing.T) error { _, err := s.SetDefaultLanguage(ctx, by, "fr"); return err },
			persistence.ActionLanguageDefault, "language", "fr", true, true},
		{"translations", func(*testing.T) error {
			return s.PutTranslations(ctx, by, []persistence.Translation{
				{Namespace: "badge", Key: "x.name", Language: "fr", Text: "X"},
				{Namespace: "mode", Key: "zen.name", Language: "fr", Text: "Zen"}})
		}, persistence.ActionTranslationUpsert, "translations", "badge,mode", true, true},
		{"broadcast", func(*testing.T) error {
			var err error
			broadcastID, err = s.QueueBroadcast(ctx, by, persistence.Broadcast{Title: "Hello", Body: "maintenance at noon"})
			return err
		}, persistence.ActionNotificationBroadcast, "broadcast", "", false, true},
	}
	for i, st := range steps {
		require.NoError(t, st.do(t), st.name)
		entries := auditEntries(t, s)
		require.Len(t, entries, i+1, "%s: exactly one more entry", st.name)
		e := entries[0]
		require.Equal(t, st.action, e.Action, st.name)
		require.Equal(t, st.targetKind, e.TargetKind, st.name)
		if st.targetID != "" {
			require.Equal(t, st.targetID, e.TargetID, st.name)
		}
		require.Equal(t, by, e.Actor, st.name)
		require.Equal(t, clk.Now().UTC().Truncate(time.Microsecond), e.At, st.name)
		require.Equal(t, st.before, e.Before != nil, "%s: before", st.name)
		require.Equal(t, st.after, e.After != nil, "%s: after", st.name)
	}
	entries := auditEntries(t, s)
	byAction := map[string]persistence.AuditEntry{}
	for _, e := range entries {
		byAction[e.Action] = e
	}
	require.JSONEq(t, `{"role":"player"}`, string(byAction[persistence.ActionPlayerRole].Before))
	require.JSONEq(t, `{"role":"moderator"}`, string(byAction[persistence.ActionPlayerRole].After))
	require.Equal(t, badge.ID, byAction[persistence.ActionBadgeCreate].TargetID)
	require.Equal(t, mint.ID, byAction[persistence.ActionMintRetry].TargetID)
	require.Equal(t, flag.ID, byAction[persistence.ActionFlagClear].TargetID)
	require.Equal(t, broadcastID, byAction[persistence.ActionNotificationBroadcast].TargetID)
	var mintBefore, mintAfter struct{ Status string }
	require.NoError(t, json.Unmarshal(byAction[persistence.ActionMintRetry].Before, &mintBefore))
	require.NoError(t, json.Unmarshal(byAction[persistence.ActionMintRetry].After, &mintAfter))
	require.Equal(t, "failed", mintBefore.Status)
	require.Equal(t, "pending", mintAfter.Status)
	var flagAfter struct{ Status, Reason string }
	require.NoError(t, json.Unmarshal(byAction[persistence.ActionFlagClear].After, &flagAfter))
	require.Equal(t, "cleared", flagAfter.Status)
	require.Equal(t, "fast hands", flagAfter.Reason)
}

// TestStore_Audit_FailedActionWritesNothing: an action that fails, or
// changes nothing, or comes without an actor, leaves the log as it was.
func TestStore_Audit_FailedActionWritesNothing(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	admin, target := newGuest(t, s), newGuest(t, s)
	by := persistence.StaffActor(admin.ID, persistence.RoleAdmin, "203.0.113.7", "req-audit-2")
	b, err := s.CreateBadge(ctx, by, newBadge("held"))
	require.NoError(t, err)
	_, err = s.AdminAwardBadge(ctx, by, target.ID, b.ID)
	require.NoError(t, err)
	c := createChallenge(t, s, newChallenge("audit-fail", clk.Now().Add(time.Hour), time.Hour))
	_, err = s.CancelChallenge(ctx, by, c.ID, clk.Now())
	require.NoError(t, err)
	before := len(auditEntries(t, s))
	require.Equal(t, 4, before, "badge, award, the seeding's challenge and the cancel")

	admin2 := persistence.RoleAdmin
	rows := 0
	name := "renamed"
	cases := []struct {
		name string
		do   func() error
		want error
	}{
		{"unknown player", func() error {
			_, err := s.AdminUpdate(ctx, by, uuid.NewString(), persistence.AdminUpdate{Role: &admin2}, clk.Now())
			return err
		}, persistence.ErrNotFound},
		{"unknown badge", func() error {
			_, err := s.UpdateBadge(ctx, by, uuid.NewString(), persistence.BadgeUpdate{Name: &name})
			return err
		}, persistence.ErrNotFound},
		{"taken slug (the insert fails inside the transaction)", func() error {
			_, err := s.CreateBadge(ctx, by, newBadge("held"))
			return err
		}, persistence.ErrConflict},
		{"broken mode rule (checked after the locked read)", func() error {
			_, err := s.UpdateMode(ctx, by, "classic", persistence.ModeUpdate{Rows: &rows})
			return err
		}, nil},
		{"award already held", func() error {
			awarded, err := s.AdminAwardBadge(ctx, by, target.ID, b.ID)
			require.False(t, awarded)
			return err
		}, nil},
		{"cancel of a cancelled challenge", func() error {
			_, err := s.CancelChallenge(ctx, by, c.ID, clk.Now())
			return err
		}, nil},
		{"no actor", func() error {
			_, err := s.UpdateBadge(ctx, persistence.AuditActor{}, b.ID, persistence.BadgeUpdate{Name: &name})
			return err
		}, persistence.ErrNoActor},
		{"a player actor without a role", func() error {
			_, err := s.UpdateBadge(ctx, persistence.AuditActor{Kind: persistence.ActorPlayer, PlayerID: admin.ID},
				b.ID, persistence.BadgeUpdate{Name: &name})
			return err
		}, persistence.ErrNoActor},
	}
	for _, tc := range cases {
		err := tc.do()
		switch {
		case tc.want != nil:
			require.ErrorIs(t, err, tc.want, tc.name)
		case tc.name == "broken mode rule (checked after the locked read)":
			require.Error(t, err, tc.name)
		default:
			require.NoError(t, err, tc.name)
		}
		require.Len(t, auditEntries(t, s), before, "%s: no entry", tc.name)
	}
	got, err := s.Badge(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, "held", got.Slug)
	require.NotEqual(t, name, got.Name, "the write without an actor did not happen either")
}

// TestStore_Audit_AppendOnly: the database refuses to update, delete or
// truncate the log, whoever asks.
func TestStore_Audit_AppendOnly(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	_, err := s.CreateBadge(ctxT(t), persistence.SystemActor("test"), newBadge("kept"))
	require.NoError(t, err)
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	for _, sql := range []string{
		`UPDATE audit_log SET action = 'badge.update'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
	} {
		_, err := conn.Exec(ctxT(t), sql)
		require.ErrorContains(t, err, "audit_log is append-only", sql)
	}
	require.Len(t, auditEntries(t, s), 1)
}

// TestStore_ListAudit_FiltersAndCursor: each filter narrows the listing,
// pages are newest first and the cursor walks them without gaps.
func TestStore_ListAudit_FiltersAndCursor(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	alice, bob := newGuest(t, s), newGuest(t, s)
	byAlice := persistence.StaffActor(alice.ID, persistence.RoleAdmin, "198.51.100.1", "req-a")
	byBob := persistence.StaffActor(bob.ID, persistence.RoleModerator, "198.51.100.2", "req-b")
	start := clk.Now()
	var badges []persistence.Badge
	for i, by := range []persistence.AuditActor{byAlice, byBob, byAlice, byBob, byAlice} {
		b, err := s.CreateBadge(ctx, by, newBadge("listed-"+twoDigits(i)))
		require.NoError(t, err)
		badges = append(badges, b)
		clk.Advance(time.Minute)
	}
	name := "edited"
	_, err := s.UpdateBadge(ctx, byBob, badges[0].ID, persistence.BadgeUpdate{Name: &name})
	require.NoError(t, err)

	list := func(q persistence.AuditQuery) []persistence.AuditEntry {
		t.Helper()
		page, err := s.ListAudit(ctx, q)
		require.NoError(t, err)
		return page.Entries
	}
	all := list(persistence.AuditQuery{})
	require.Len(t, all, 6)
	require.Equal(t, persistence.ActionBadgeUpdate, all[0].Action, "newest first")
	require.Len(t, list(persistence.AuditQuery{ActorID: alice.ID}), 3)
	require.Len(t, list(persistence.AuditQuery{ActorID: bob.ID}), 3)
	require.Empty(t, list(persistence.AuditQuery{ActorID: uuid.NewString()}))
	require.Empty(t, list(persistence.AuditQuery{ActorID: "not-an-id"}))
	require.Len(t, list(persistence.AuditQuery{Action: persistence.ActionBadgeCreate}), 5)
	onFirst := list(persistence.AuditQuery{TargetKind: "badge", TargetID: badges[0].ID})
	require.Len(t, onFirst, 2)
	require.Equal(t, []string{persistence.ActionBadgeUpdate, persistence.ActionBadgeCreate},
		[]string{onFirst[0].Action, onFirst[1].Action})
	window := list(persistence.AuditQuery{From: start.Add(time.Minute), To: start.Add(3 * time.Minute)})
	require.Len(t, window, 2, "from inclusive, to exclusive")
	require.Equal(t, badges[2].ID, window[0].TargetID)
	require.Equal(t, badges[1].ID, window[1].TargetID)

	var walked []int64
	cursor := ""
	for {
		page, err := s.ListAudit(ctx, persistence.AuditQuery{Limit: 4, Cursor: cursor, Action: persistence.ActionBadgeCreate})
		require.NoError(t, err)
		for _, e := range page.Entries {
			walked = append(walked, e.ID)
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	require.Len(t, walked, 5)
	for i := 1; i < len(walked); i++ {
		require.Greater(t, walked[i-1], walked[i], "strictly newest first across pages")
	}
	_, err = s.ListAudit(ctx, persistence.AuditQuery{Cursor: "not a cursor"})
	require.ErrorIs(t, err, persistence.ErrBadCursor)
}
