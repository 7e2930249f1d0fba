package notifications_test

import (
	"bytes"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/notifications"
	"github.com/proofstell/proofstell/persistence"
)

// mailbox records the mails the worker asks for.
type mailbox struct {
	mu   sync.Mutex
	sent []string
}

func (m *mailbox) MailNotification(n persistence.Notification, to persistence.EmailRecipient) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, to.Email+" "+n.Kind)
}

func TestWorker_Drain_MailsOnlyOptedInVerifiedPlayers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.badge(t)
	hash := make([]byte, 60)
	for i := range hash {
		hash[i] = 'x'
	}
	var players []persistence.Player
	for i, name := range []string{"opted_in", "not_opted"} {
		a, err := e.store.CreateAccount(t.Context(), persistence.NewAccount{Username: name,
			Email: name + "@example.com", PasswordHash: hash})
		require.NoError(t, err)
		require.NoError(t, e.store.MarkEmailVerified(t.Context(), a.Player.ID, e.clock.Now()))
		require.NoError(t, e.store.SetNotificationPreferences(t.Context(), a.Player.ID, []persistence.NotificationPreference{
			{Kind: persistence.KindBadgeAwarded, InApp: true, Email: i == 0}}))
		_, err = e.store.AwardBadge(t.Context(), a.Player.ID, b.ID, persistence.SourceAdmin)
		require.NoError(t, err)
		players = append(players, a.Player)
	}
	box := &mailbox{}
	w := notifications.New(notifications.Deps{Store: e.store, Events: e.pub, Mail: box, Batch: 2, Lease: lease})
	n, err := w.Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Len(t, e.pub.lines(), 2, "both alerted in-app")
	require.Equal(t, []string{"opted_in@example.com badge.awarded"}, box.sent)
	require.Len(t, e.inbox(t, players[1].ID), 1)
}

// TestWorker_Drain_MailFollowsSwitch: while features.notificationsEmail is
// off nothing is mailed, and the notification is stored and alerted all
// the same; switched back on, the next one is mailed again.
func TestWorker_Drain_MailFollowsSwitch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	all, err := e.store.Badges(t.Context(), true)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(all), 2)
	a, err := e.store.CreateAccount(t.Context(), persistence.NewAccount{Username: "mail_switch",
		Email: "mail_switch@example.com", PasswordHash: bytes.Repeat([]byte("x"), 60)})
	require.NoError(t, err)
	require.NoError(t, e.store.MarkEmailVerified(t.Context(), a.Player.ID, e.clock.Now()))
	require.NoError(t, e.store.SetNotificationPreferences(t.Context(), a.Player.ID, []persistence.NotificationPreference{
		{Kind: persistence.KindBadgeAwarded, InApp: true, Email: true}}))
	var on atomic.Bool
	box := &mailbox{}
	w := notifications.New(notifications.Deps{Store: e.store, Events: e.pub, Mail: box, MailOn: on.Load, Batch: 2, Lease: lease})

	_, err = e.store.AwardBadge(t.Context(), a.Player.ID, all[0].ID, persistence.SourceAdmin)
	require.NoError(t, err)
	n, err := w.Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Empty(t, box.sent, "no mail while off")
	require.Len(t, e.inbox(t, a.Player.ID), 1, "stored in-app")
	require.Len(t, e.pub.lines(), 1, "alerted live")

	on.Store(true)
	_, err = e.store.AwardBadge(t.Context(), a.Player.ID, all[1].ID, persistence.SourceAdmin)
	require.NoError(t, err)
	n, err = w.Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, []string{"mail_switch@example.com badge.awarded"}, box.sent)
	require.Len(t, e.inbox(t, a.Player.ID), 2)
}
