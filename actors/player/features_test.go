package player

import (
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/internal/settings"
)

// TestActor_ChallengeAttemptsFollowSwitch: while features.challenges is
// off a game:start naming a challenge is refused feature_disabled before
// any grain is touched, a plain game still starts, and an attempt running
// when the switch went off goes on; switched back on, attempts start.
func TestActor_ChallengeAttemptsFollowSwitch(t *testing.T) {
	var on, maintenance atomic.Bool
	on.Store(true)
	current := func() settings.Settings {
		return settings.Settings{
			Features:    settings.Features{Challenges: on.Load()},
			Maintenance: settings.Maintenance{Enabled: maintenance.Load()}}
	}
	running := newFixture(t, func(d *Deps) { d.Settings = current })
	f := newFixture(t, func(d *Deps) { d.Settings = current })

	running.command(1, StartGame{ChallengeID: "daily-2026-11-24"})
	create, ok := running.grainGot().(*protos.CreateSession)
	require.True(t, ok)
	require.Equal(t, "daily-2026-11-24", create.ChallengeId)
	require.Equal(t, events.TypeAck, running.conn.next(t).Type)

	on.Store(false)
	f.command(1, StartGame{ChallengeID: "daily-2026-11-24"})
	require.Equal(t, events.CodeFeatureDisabled, errorCode(t, f.conn.next(t)))
	select {
	case m := <-f.received:
		t.Fatalf("a refused attempt reached a grain: %T", m)
	default:
	}
	running.command(2, Whack{SessionID: running.nextID, Hole: 4, MoleID: 7})
	_, ok = running.grainGot().(*protos.WhackMole)
	require.True(t, ok, "the attempt already running goes on")
	require.Equal(t, events.TypeAck, running.conn.next(t).Type)

	maintenance.Store(true)
	f.command(2, StartGame{ChallengeID: "daily-2026-11-24"})
	require.Equal(t, events.CodeMaintenance, errorCode(t, f.conn.next(t)), "maintenance answers first")
	maintenance.Store(false)

	f.command(3, StartGame{Mode: "classic"})
	_, ok = f.grainGot().(*protos.CreateSession)
	require.True(t, ok, "a game that is no challenge starts")
	require.Equal(t, events.TypeAck, f.conn.next(t).Type)

	on.Store(true)
	g := newFixture(t, func(d *Deps) { d.Settings = current })
	g.command(1, StartGame{ChallengeID: "daily-2026-11-24"})
	_, ok = g.grainGot().(*protos.CreateSession)
	require.True(t, ok, "switched back on, attempts start")
}

// TestActor_DefaultModeSetting: a game:start naming no mode leaves the
// choice to the session (the player's recent form picks it) unless an
// admin pinned games.defaultMode, and a named mode always wins.
func TestActor_DefaultModeSetting(t *testing.T) {
	for _, tc := range []struct {
		name, pinned, asked, want string
	}{
		{name: "not pinned: the form chooses", want: ""},
		{name: "pinned", pinned: "frenzy", want: "frenzy"},
		{name: "named wins over pinned", pinned: "frenzy", asked: "classic-hard", want: "classic-hard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(d *Deps) {
				d.Settings = func() settings.Settings {
					return settings.Settings{Games: settings.Games{DefaultMode: tc.pinned}, Features: settings.Features{Challenges: true}}
				}
			})
			f.command(1, StartGame{Mode: tc.asked})
			create, ok := f.grainGot().(*protos.CreateSession)
			require.True(t, ok)
			require.Equal(t, tc.want, create.Mode)
		})
	}
}

// TestActor_MatchFormedInMaintenanceIsNotPlayed: tickets queued before
// maintenance began whose match forms after it are told so
// (matchmaking:status maintenance) and leave the queue; no game opens. A
// member on a node that has not heard of maintenance yet is queued again.
func TestActor_MatchFormedInMaintenanceIsNotPlayed(t *testing.T) {
	f := newQueueFixture(t, wide)
	var maintenance atomic.Bool
	current := func() settings.Settings {
		return settings.Settings{Maintenance: settings.Maintenance{Enabled: maintenance.Load()}, Features: settings.Features{Challenges: true}}
	}
	behind := func() settings.Settings { return settings.Settings{Features: settings.Features{Challenges: true}} }
	ann, bob := f.connectWith("ann", nil, current), f.connectWith("bob", nil, current)
	cat := f.connectWith("cat", nil, behind)
	ann.command(1, JoinQueue{Mode: "classic", Players: 3})
	annTicket := decodeFrame[events.QueueAck](t, ann.conn.next(t), events.TypeAck).TicketID
	bob.command(1, JoinQueue{Mode: "classic", Players: 3})
	require.Equal(t, events.TypeAck, bob.conn.next(t).Type)

	maintenance.Store(true)
	cat.command(1, JoinQueue{Mode: "classic", Players: 3})
	require.Equal(t, events.TypeAck, cat.conn.next(t).Type, "its node has not heard yet")

	for _, p := range []*queuePlayer{ann, bob} {
		status := decodeFrame[events.QueueStatus](t, p.conn.next(t), events.TypeMatchmakingStatus)
		require.Equal(t, events.ReasonMaintenance, status.Reason)
	}
	require.Equal(t, events.TypeMatchmakingMatched, cat.conn.next(t).Type)
	requeued := decodeFrame[events.QueueStatus](t, cat.conn.next(t), events.TypeMatchmakingStatus)
	require.Equal(t, events.ReasonRequeued, requeued.Reason, "the host abandoned the match")

	maintenance.Store(false)
	ann.command(2, JoinQueue{Mode: "classic", Players: 3})
	require.NotEqual(t, annTicket, decodeFrame[events.QueueAck](t, ann.conn.next(t), events.TypeAck).TicketID,
		"the old ticket left the queue: a new one is taken")
}
