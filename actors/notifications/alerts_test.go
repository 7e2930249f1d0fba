package notifications_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/notifications"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/persistence"
)

func TestReceipts_DeliveredAlertsAreNotSentAgainOnConnect(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.guest(t)
	stored, err := e.store.AddNotifications(t.Context(), []persistence.Notification{
		{PlayerID: p.ID, Kind: persistence.KindAdminBroadcast, SourceKey: "live", Title: "seen live"},
		{PlayerID: p.ID, Kind: persistence.KindAdminBroadcast, SourceKey: "missed", Title: "missed while offline"},
	})
	require.NoError(t, err)
	live, missed := stored[0], stored[1]

	r := notifications.NewReceipts(e.store, 4, 10, nil)
	alert := func(n persistence.Notification) *fanout.Broadcast {
		return &fanout.Broadcast{Topic: "player:" + p.ID,
			Event: &protos.ClientEvent{Type: notifications.TypeAlert, Data: events.Encode(notifications.NewAlert(n))}}
	}
	r.Observe(alert(missed), 0) // no socket took it
	r.Observe(&fanout.Broadcast{Topic: "player:" + p.ID, Event: &protos.ClientEvent{Type: "badge:awarded"}}, 1)
	r.Observe(alert(live), 1)
	require.Equal(t, 1, r.Write(t.Context()), "only the alert a socket took is recorded")
	require.Zero(t, r.Write(t.Context()))

	pending := notifications.Pending{Store: e.store}
	evs, err := pending.Take(t.Context(), p.ID)
	require.NoError(t, err)
	require.Len(t, evs, 1)
	require.Equal(t, notifications.TypeAlert, evs[0].Type)
	var a notifications.Alert
	require.NoError(t, json.Unmarshal(evs[0].Data, &a))
	require.Equal(t, missed.ID, a.ID)
	require.Equal(t, "missed while offline", a.Title)
	again, err := pending.Take(t.Context(), p.ID)
	require.NoError(t, err)
	require.Empty(t, again, "a connect takes each missed alert once")
}

func TestReceipts_Observe_DropsWhenFull(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.guest(t)
	r := notifications.NewReceipts(e.store, 1, 10, nil)
	for _, id := range []string{"a", "b"} {
		r.Observe(&fanout.Broadcast{Topic: "player:" + p.ID, Event: &protos.ClientEvent{Type: notifications.TypeAlert,
			Data: events.Encode(notifications.Alert{ID: id})}}, 1)
	}
	require.Equal(t, 1, r.Write(t.Context()), "the queue holds one; the other was dropped, never blocked on")
}
