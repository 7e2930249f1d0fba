package notifications_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/notifications"

	"github.com/proofstell/proofstell/persistence"
)

func TestWorker_Drain_BadgeAwardedExactlyOnceAcrossCrash(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p, b := e.guest(t), e.badge(t)
	ok, err := e.store.AwardBadge(t.Context(), p.ID, b.ID, persistence.SourceAdmin)
	require.NoError(t, err)
	require.True(t, ok)
	want := []string{"player:" + p.ID + " notification:alert badge.awarded Badge earned: " + b.Name}

	_, err = e.worker(crashingStore{e.store}).Drain(t.Context())
	require.ErrorContains(t, err, "node died")
	require.Equal(t, want, e.pub.lines(), "stored and alerted before the crash")
	require.Len(t, e.inbox(t, p.ID), 1)

	n, err := e.worker(nil).Drain(t.Context())
	require.NoError(t, err)
	require.Zero(t, n, "the row stays leased to the dead worker")

	e.clock.Advance(lease + time.Second)
	n, err = e.worker(nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n, "the replayed row completes")
	require.Equal(t, want, e.pub.lines(), "no second alert")
	inbox := e.inbox(t, p.ID)
	require.Len(t, inbox, 1, "no second notification")
	require.Equal(t, "badge:"+b.ID, inbox[0].SourceKey)
	require.JSONEq(t, `{"badgeId":"`+b.ID+`","slug":"`+b.Slug+`","name":"`+b.Name+`","rarity":"`+string(b.Rarity)+`","text":"badge.awarded"}`,
		string(inbox[0].Data))
}

func TestWorker_Drain_ChallengeEndedTellsEachPlayerTheirRank(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	winner, runnerUp := e.guest(t), e.guest(t)
	challenge := uuid.NewString()
	payload, err := json.Marshal(persistence.NotifyChallengeEndedEvent{ChallengeID: challenge, Mode: "classic",
		Standings: []persistence.NotifyStanding{{PlayerID: winner.ID, Rank: 1, Score: 40, Won: true},
			{PlayerID: runnerUp.ID, Rank: 2, Score: 12}, {PlayerID: uuid.NewString(), Rank: 3, Score: 1}}})
	require.NoError(t, err)
	e.outbox(t, winner, persistence.OutboxMessage{Topic: persistence.TopicNotifyChallengeEnded, Key: challenge,
		Payload: payload})

	n, err := e.worker(nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Len(t, e.pub.lines(), 2, "a deleted player is passed over")
	for _, c := range []struct {
		p    persistence.Player
		body string
		rank int
	}{{winner, "You won with 40 points!", 1}, {runnerUp, "You finished #2 with 12 points.", 2}} {
		inbox := e.inbox(t, c.p.ID)
		require.Len(t, inbox, 1)
		require.Equal(t, persistence.KindChallengeEnded, inbox[0].Kind)
		require.Equal(t, c.body, inbox[0].Body)
		var data struct{ Rank int }
		require.NoError(t, json.Unmarshal(inbox[0].Data, &data))
		require.Equal(t, c.rank, data.Rank)
	}
}

func TestWorker_Drain_BroadcastReachesItsSegmentInBatches(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var players []persistence.Player
	for range 5 {
		players = append(players, e.guest(t))
	}
	_, err := e.store.QueueBroadcast(t.Context(), persistence.SystemActor("test"), persistence.Broadcast{Title: "Maintenance", Body: "at noon"})
	require.NoError(t, err)
	n, err := e.worker(nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Len(t, e.pub.lines(), 5)
	for _, p := range players {
		inbox := e.inbox(t, p.ID)
		require.Len(t, inbox, 1)
		require.Equal(t, "Maintenance", inbox[0].Title)
	}
	e.clock.Advance(lease + time.Second)
	n, err = e.worker(nil).Drain(t.Context())
	require.NoError(t, err)
	require.Zero(t, n, "completed rows are not claimed again")
}

func TestWorker_Drain_CompletesMalformedRows(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.guest(t)
	e.outbox(t, p, persistence.OutboxMessage{Topic: persistence.TopicNotifyBadge, Key: "x", Payload: []byte("{")})
	n, err := e.worker(nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Empty(t, e.pub.lines())
	require.Empty(t, e.inbox(t, p.ID))
}

// TestWorker_Drain_ReportsOutboxLag: the worker reports, per topic, how
// old the rows it handles are (proofstell_notification_outbox_lag_seconds,
// which the alert rules watch). Not parallel: the gauge is the process's.
func TestWorker_Drain_ReportsOutboxLag(t *testing.T) {
	e := newEnv(t)
	p, b := e.guest(t), e.badge(t)
	ok, err := e.store.AwardBadge(t.Context(), p.ID, b.ID, persistence.SourceAdmin)
	require.NoError(t, err)
	require.True(t, ok)
	e.clock.Advance(90 * time.Second)
	w := notifications.New(notifications.Deps{Store: e.store, Events: e.pub, Batch: 2, Lease: lease, Now: e.clock.Now})
	n, err := w.Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.InDelta(t, 90, gauge(t, "proofstell_notification_outbox_lag_seconds", "topic", persistence.TopicNotifyBadge), 1,
		"the row was written 90 s before it was handled")
}

// gauge reads one series of a gauge the process serves on /metrics.
func gauge(t *testing.T, name, label, value string) float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	t.Fatalf("no series %s{%s=%q}", name, label, value)
	return 0
}
