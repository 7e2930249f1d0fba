package player

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/internal/admission"
)

// pressure is a hand-set admission signal.
type pressure struct{ v float64 }

func newAdmission(t *testing.T, p *pressure) *admission.Controller {
	t.Helper()
	c, err := admission.New(admission.Options{
		Signals: []admission.Signal{{Name: "probe", Sample: func() float64 { return p.v }}},
		Jitter:  func() float64 { return 0 },
	})
	require.NoError(t, err)
	return c
}

func busyHint(t *testing.T, fr Frame) int64 {
	t.Helper()
	require.Equal(t, events.CodeBusy, errorCode(t, fr))
	var e struct {
		RetryAfterMs int64 `json:"retry_after_ms"`
	}
	require.NoError(t, json.Unmarshal(fr.Data, &e))
	return e.RetryAfterMs
}

// TestActor_ShedsNewGamesButNotRunningOnes: past capacity a new game is
// answered busy with a retry hint before any grain is touched, while the
// game already running keeps having its whacks judged.
func TestActor_ShedsNewGamesButNotRunningOnes(t *testing.T) {
	p := &pressure{}
	door := newAdmission(t, p)
	f := newFixture(t, func(d *Deps) { d.Admission = door })

	f.command(1, StartGame{Mode: "classic"})
	_, ok := f.grainGot().(*protos.CreateSession)
	require.True(t, ok, "admitted under no pressure")
	require.Equal(t, events.TypeAck, f.conn.next(t).Type)
	require.Equal(t, admission.State{Active: 1, Signals: map[string]float64{}}, door.State(), "the ack ended the opening")

	p.v = 1.5
	door.Sample()
	f.command(2, Whack{SessionID: f.nextID, Hole: 4, MoleID: 7})
	_, ok = f.grainGot().(*protos.WhackMole)
	require.True(t, ok, "a running game's whack is never shed")
	require.Equal(t, Frame{Type: events.TypeAck, ID: 2, Data: []byte(`{}`)}, f.conn.next(t))

	f.system.Root.Send(f.player, &protos.ClientEvent{Type: events.TypeOver, SessionId: f.nextID, Data: []byte(`{}`), Detach: true})
	require.Equal(t, events.TypeOver, f.conn.next(t).Type)
	require.Zero(t, door.State().Active, "the ended game gave its place back")

	f.command(3, StartGame{Mode: "classic"})
	require.EqualValues(t, 1500, busyHint(t, f.conn.next(t)), "the hint grows with pressure")
	f.command(4, CreateMatch{Mode: "classic", MaxPlayers: 2})
	require.EqualValues(t, 1500, busyHint(t, f.conn.next(t)))
	f.command(5, JoinMatch{Code: "ABC234"})
	require.EqualValues(t, 1500, busyHint(t, f.conn.next(t)))
	select {
	case m := <-f.received:
		t.Fatalf("a shed game reached a grain: %T", m)
	default:
	}

	p.v = 0.5
	door.Sample()
	f.command(6, JoinMatch{Code: "ABC234"})
	_, ok = f.grainGot().(*protos.JoinSession)
	require.True(t, ok, "admitted again once pressure fell below the resume level")
	f.conn.next(t)
	f.detach()
	_, ok = f.grainGot().(*protos.LeaveSession)
	require.True(t, ok)
	require.NoError(t, f.system.Root.StopFuture(f.player).Wait(), "the player actor has stopped")
	require.Zero(t, door.State().Active, "a connection that leaves gives its game's place back")
}

// TestActor_FailedJoinGivesItsPlaceBack: an admitted join whose code is
// unknown holds no place afterwards.
func TestActor_FailedJoinGivesItsPlaceBack(t *testing.T) {
	door := newAdmission(t, &pressure{})
	f := newFixture(t, func(d *Deps) { d.Admission = door })
	f.command(1, JoinMatch{Code: "NOPE22"})
	require.Equal(t, events.CodeSessionNotFound, errorCode(t, f.conn.next(t)))
	require.Equal(t, admission.State{Signals: map[string]float64{}}, door.State())
}
