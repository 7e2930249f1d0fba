package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func note(playerID, key string) persistence.Notification {
	return persistence.Notification{PlayerID: playerID, Kind: persistence.KindAdminBroadcast, SourceKey: key,
		Title: "t " + key, Body: "b", Data: []byte(`{"k":"` + key + `"}`)}
}

func TestStore_AddNotifications_IdempotentPerSourceKey(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := context.Background()
	p := newGuest(t, s)
	stored, err := s.AddNotifications(ctx, []persistence.Notification{note(p.ID, "a"), note(uuid.NewString(), "a"),
		note(p.ID, "b")})
	require.NoError(t, err)
	require.Len(t, stored, 2, "unknown player skipped")
	require.Equal(t, []string{"a", "b"}, []string{stored[0].SourceKey, stored[1].SourceKey})
	again, err := s.AddNotifications(ctx, []persistence.Notification{note(p.ID, "a"), note(p.ID, "c")})
	require.NoError(t, err)
	require.Len(t, again, 1)
	require.Equal(t, "c", again[0].SourceKey)
	page, err := s.Notifications(ctx, p.ID, false, "", 10)
	require.NoError(t, err)
	require.Len(t, page.Items, 3)
	require.Equal(t, 3, page.Unread)
	for _, n := range page.Items {
		require.JSONEq(t, `{"k":"`+n.SourceKey+`"}`, string(n.Data))
	}
}

func TestStore_Notifications_PagesReadAndDelete(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := context.Background()
	p, other := newGuest(t, s), newGuest(t, s)
	var ids []string
	for _, k := range []string{"1", "2", "3"} {
		clk.Advance(time.Second)
		st, err := s.AddNotifications(ctx, []persistence.Notification{note(p.ID, k)})
		require.NoError(t, err)
		ids = append(ids, st[0].ID)
	}
	first, err := s.Notifications(ctx, p.ID, false, "", 2)
	require.NoError(t, err)
	require.Equal(t, []string{ids[2], ids[1]}, []string{first.Items[0].ID, first.Items[1].ID})
	require.NotEmpty(t, first.Next)
	second, err := s.Notifications(ctx, p.ID, false, first.Next, 2)
	require.NoError(t, err)
	require.Len(t, second.Items, 1)
	require.Equal(t, ids[0], second.Items[0].ID)
	require.Empty(t, second.Next)
	_, err = s.Notifications(ctx, p.ID, false, "!!", 2)
	require.ErrorIs(t, err, persistence.ErrBadCursor)

	require.ErrorIs(t, s.MarkNotificationRead(ctx, other.ID, ids[0]), persistence.ErrNotFound)
	require.ErrorIs(t, s.MarkNotificationRead(ctx, p.ID, "nope"), persistence.ErrNotFound)
	require.NoError(t, s.MarkNotificationRead(ctx, p.ID, ids[0]))
	require.NoError(t, s.MarkNotificationRead(ctx, p.ID, ids[0]), "again is harmless")
	unread, err := s.Notifications(ctx, p.ID, true, "", 10)
	require.NoError(t, err)
	require.Len(t, unread.Items, 2)
	require.Equal(t, 2, unread.Unread)
	n, err := s.MarkAllNotificationsRead(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.ErrorIs(t, s.DeleteNotification(ctx, other.ID, ids[1]), persistence.ErrNotFound)
	require.NoError(t, s.DeleteNotification(ctx, p.ID, ids[1]))
	require.ErrorIs(t, s.DeleteNotification(ctx, p.ID, ids[1]), persistence.ErrNotFound)
	all, err := s.Notifications(ctx, p.ID, false, "", 10)
	require.NoError(t, err)
	require.Len(t, all.Items, 2)
	require.Zero(t, all.Unread)
	require.False(t, all.Items[0].ReadAt.IsZero())
}

func TestStore_BroadcastBatch_SegmentsInBoundedBatches(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := context.Background()
	players := map[string]bool{}
	for range 5 {
		players[newGuest(t, s).ID] = true
	}
	admin := newGuest(t, s)
	role := persistence.RoleAdmin
	_, err := s.AdminUpdate(ctx, persistence.SystemActor("test"), admin.ID, persistence.AdminUpdate{Role: &role}, clk.Now())
	require.NoError(t, err)
	players[admin.ID] = true

	b := persistence.Broadcast{ID: uuid.NewString(), Title: "Hello", Body: "all"}
	got := map[string]bool{}
	after, calls := "", 0
	for {
		stored, last, err := s.BroadcastBatch(ctx, b, after, 2)
		require.NoError(t, err)
		require.LessOrEqual(t, len(stored), 2)
		for _, n := range stored {
			require.Equal(t, persistence.KindAdminBroadcast, n.Kind)
			got[n.PlayerID] = true
		}
		calls++
		if last == "" {
			break
		}
		after = last
	}
	require.Equal(t, players, got)
	require.Equal(t, 4, calls, "3 batches of 2 and an empty one")
	replay, _, err := s.BroadcastBatch(ctx, b, "", 10)
	require.NoError(t, err)
	require.Empty(t, replay, "a replay stores nothing twice")

	admins := persistence.Broadcast{ID: uuid.NewString(), Title: "Staff", Segment: persistence.Segment{Role: role}}
	stored, _, err := s.BroadcastBatch(ctx, admins, "", 10)
	require.NoError(t, err)
	require.Len(t, stored, 1)
	require.Equal(t, admin.ID, stored[0].PlayerID)
	future := persistence.Broadcast{ID: uuid.NewString(), Title: "Active",
		Segment: persistence.Segment{ActiveSince: clk.Now().Add(time.Hour)}}
	stored, _, err = s.BroadcastBatch(ctx, future, "", 10)
	require.NoError(t, err)
	require.Empty(t, stored)
}

func TestStore_AwardBadge_QueuesNotification(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := context.Background()
	p := newGuest(t, s)
	all, err := s.Badges(ctx, true)
	require.NoError(t, err)
	require.NotEmpty(t, all)
	ok, err := s.AwardBadge(ctx, p.ID, all[0].ID, persistence.SourceAdmin)
	require.NoError(t, err)
	require.True(t, ok)
	_, err = s.AwardBadge(ctx, p.ID, all[0].ID, persistence.SourceAdmin)
	require.NoError(t, err)
	items, err := s.ClaimOutbox(ctx, persistence.TopicNotifyBadge, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, items, 1, "one row per new award")
	require.JSONEq(t, `{"playerId":"`+p.ID+`","badgeId":"`+all[0].ID+`","slug":"`+all[0].Slug+`","name":"`+all[0].Name+
		`","rarity":"`+string(all[0].Rarity)+`"}`, string(items[0].Payload))
}

func TestStore_NotificationPreferences_DefaultsAndInAppOptOut(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := context.Background()
	p := newGuest(t, s)
	prefs, err := s.NotificationPreferences(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, prefs, len(persistence.NotificationKinds()))
	for _, pr := range prefs {
		require.True(t, pr.InApp, pr.Kind)
		require.False(t, pr.Email, pr.Kind)
	}
	require.NoError(t, s.SetNotificationPreferences(ctx, p.ID, []persistence.NotificationPreference{
		{Kind: persistence.KindAdminBroadcast, InApp: false, Email: true}}))
	prefs, err = s.NotificationPreferences(ctx, p.ID)
	require.NoError(t, err)
	for _, pr := range prefs {
		require.Equal(t, pr.Kind != persistence.KindAdminBroadcast, pr.InApp, pr.Kind)
		require.Equal(t, pr.Kind == persistence.KindAdminBroadcast, pr.Email, pr.Kind)
	}
	stored, err := s.AddNotifications(ctx, []persistence.Notification{note(p.ID, "muted")})
	require.NoError(t, err)
	require.Empty(t, stored, "a kind turned off in-app is not stored")
	badge := note(p.ID, "badge")
	badge.Kind = persistence.KindBadgeAwarded
	stored, err = s.AddNotifications(ctx, []persistence.Notification{badge})
	require.NoError(t, err)
	require.Len(t, stored, 1)
}

func TestStore_EmailRecipients_VerifiedAndOptedInOnly(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := context.Background()
	optIn := []persistence.NotificationPreference{{Kind: persistence.KindBadgeAwarded, InApp: true, Email: true}}
	verified, err := s.CreateAccount(ctx, newAccount("mail_yes", "yes@example.com"))
	require.NoError(t, err)
	require.NoError(t, s.MarkEmailVerified(ctx, verified.Player.ID, clk.Now()))
	require.NoError(t, s.SetNotificationPreferences(ctx, verified.Player.ID, optIn))
	unverified, err := s.CreateAccount(ctx, newAccount("mail_unverified", "unverified@example.com"))
	require.NoError(t, err)
	require.NoError(t, s.SetNotificationPreferences(ctx, unverified.Player.ID, optIn))
	silent, err := s.CreateAccount(ctx, newAccount("mail_silent", "silent@example.com"))
	require.NoError(t, err)
	require.NoError(t, s.MarkEmailVerified(ctx, silent.Player.ID, clk.Now()))
	guest := newGuest(t, s)

	got, err := s.EmailRecipients(ctx, []string{verified.Player.ID, unverified.Player.ID, silent.Player.ID, guest.ID, "x"},
		persistence.KindBadgeAwarded)
	require.NoError(t, err)
	require.Equal(t, []persistence.EmailRecipient{{PlayerID: verified.Player.ID, Email: "yes@example.com",
		Username: "mail_yes"}}, got)
	got, err = s.EmailRecipients(ctx, []string{verified.Player.ID}, persistence.KindAdminBroadcast)
	require.NoError(t, err)
	require.Empty(t, got, "opted in for another kind only")
}
