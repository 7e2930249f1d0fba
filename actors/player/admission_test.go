package player

import (
	"encoding/json"
	"testing"
	"time"

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
		Signals:   []admission.Signal{{Name: "probe", Sample: func() float64 { return p.v }}},
		Now:       func() time.Time { return time.Unix(1_700_000_000, 0) }, // return times paced on a still clock
		Smoothing: 1, MinLimit: 1,
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
// game already running keeps having its whacks judged; a place opens when
// a running game ends.
func TestActor_ShedsNewGamesButNotRunningOnes(t *testing.T) {
	p := &pressure{}
	door := newAdmission(t, p)
	playing := newFixture(t, func(d *Deps) { d.Admission = door })
	arriving := newFixture(t, func(d *Deps) { d.Admission = door })

	playing.command(1, StartGame{Mode: "classic"})
	_, ok := playing.grainGot().(*protos.CreateSession)
	require.True(t, ok, "admitted under no pressure")
	require.Equal(t, events.TypeAck, playing.conn.next(t).Type)
	require.Equal(t, admission.State{Active: 1, Signals: map[string]float64{}}, door.State(), "the ack ended the opening")

	p.v = 1.5
	door.Sample()
	require.Equal(t, int64(1), door.State().Limit, "the one game running is all the node takes")
	arriving.command(1, StartGame{Mode: "classic"})
	// One game admitted in the sample: 4 games/s, returns paced at 5/s.
	require.EqualValues(t, 1200, busyHint(t, arriving.conn.next(t)), "the first return: RetryAfter and a step")
	arriving.command(2, CreateMatch{Mode: "classic", MaxPlayers: 2})
	require.EqualValues(t, 1400, busyHint(t, arriving.conn.next(t)), "each shed client a step later")
	arriving.command(3, JoinMatch{Code: "ABC234"})
	require.EqualValues(t, 1600, busyHint(t, arriving.conn.next(t)))
	select {
	case m := <-arriving.received:
		t.Fatalf("a shed game reached a grain: %T", m)
	default:
	}

	playing.command(2, Whack{SessionID: playing.nextID, Hole: 4, MoleID: 7})
	_, ok = playing.grainGot().(*protos.WhackMole)
	require.True(t, ok, "a running game's whack is never shed")
	require.Equal(t, Frame{Type: events.TypeAck, ID: 2, Data: []byte(`{}`)}, playing.conn.next(t))

	playing.system.Root.Send(playing.player, &protos.ClientEvent{Type: events.TypeOver, SessionId: playing.nextID,
		Data: []byte(`{}`), Detach: true})
	require.Equal(t, events.TypeOver, playing.conn.next(t).Type)
	require.Zero(t, door.State().Active, "the ended game gave its place back")

	arriving.command(4, JoinMatch{Code: "ABC234"})
	_, ok = arriving.grainGot().(*protos.JoinSession)
	require.True(t, ok, "the place the ended game left is taken")
	arriving.conn.next(t)
	arriving.detach()
	_, ok = arriving.grainGot().(*protos.LeaveSession)
	require.True(t, ok)
	require.NoError(t, arriving.system.Root.StopFuture(arriving.player).Wait(), "the player actor has stopped")
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
