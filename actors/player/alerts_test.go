package player

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
)

// missed is an Alerts that hands out its events once per player.
type missed struct {
	events map[string][]*protos.ClientEvent
	err    error
	asked  chan string
}

func (m *missed) Take(_ context.Context, playerID string) ([]*protos.ClientEvent, error) {
	m.asked <- playerID
	evs := m.events[playerID]
	delete(m.events, playerID)
	return evs, m.err
}

func TestActor_SendsMissedAlertsOnStart(t *testing.T) {
	t.Parallel()
	alerts := &missed{asked: make(chan string, 1), events: map[string][]*protos.ClientEvent{"p1": {
		{Type: "notification:alert", Data: []byte(`{"id":"n1"}`)},
		{Type: "notification:alert", Data: []byte(`{"id":"n2"}`)},
	}}}
	f := newFixture(t, func(d *Deps) { d.Alerts = alerts })
	require.Equal(t, "p1", <-alerts.asked)
	for _, want := range []string{`{"id":"n1"}`, `{"id":"n2"}`} {
		fr := f.conn.next(t)
		require.Equal(t, "notification:alert", fr.Type)
		require.Zero(t, fr.ID, "a push, not a reply")
		require.JSONEq(t, want, string(fr.Data))
	}
}

func TestActor_MissedAlertsFailureSendsNothing(t *testing.T) {
	t.Parallel()
	alerts := &missed{asked: make(chan string, 1), err: errors.New("database down")}
	f := newFixture(t, func(d *Deps) { d.Alerts = alerts })
	<-alerts.asked
	f.command(1, Whack{SessionID: "s1", Hole: 1, MoleID: 1})
	require.Equal(t, events.CodeNotInSession, errorCode(t, f.conn.next(t)), "the first frame answers the command")
}
