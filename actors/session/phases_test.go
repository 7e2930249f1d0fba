package session

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
)

// Every test of the package runs with strict transitions: a move the
// machine does not declare panics, crashing the activation that made it.
func init() { strictTransitions.Store(true) }

// stray is a message no phase of the session takes.
type stray struct{}

// stubContext is the little of actor.Context a phase handler uses for the
// messages these tests send; anything else panics on the nil embedded
// interface.
type stubContext struct {
	actor.Context
	sent    []*protos.ClientEvent
	stopped int
}

func (c *stubContext) Self() *actor.PID { return nil }

func (c *stubContext) Stop(*actor.PID) { c.stopped++ }

func (c *stubContext) Send(_ *actor.PID, msg any) {
	if ev, ok := msg.(*protos.ClientEvent); ok {
		c.sent = append(c.sent, ev)
	}
}

// logLine is one record of a phaseActor's log.
type logLine map[string]any

// phaseActor is a session actor standing in phase p, outside any actor
// system, logging at debug level into the returned function's lines.
func phaseActor(t testing.TB, p phaseID) (*Actor, func() []logLine) {
	t.Helper()
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a := &Actor{deps: Deps{Logger: logger, MaxStash: 4}, id: "s-" + p.String(), phase: p, players: map[string]*member{}}
	return a, func() []logLine {
		t.Helper()
		var lines []logLine
		for _, raw := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			if raw == "" {
				continue
			}
			var l logLine
			require.NoError(t, json.Unmarshal([]byte(raw), &l))
			lines = append(lines, l)
		}
		return lines
	}
}

// allPhases is every phase the machine declares.
func allPhases() []phaseID {
	out := make([]phaseID, len(machine))
	for i := range machine {
		out[i] = phaseID(i)
	}
	return out
}

func TestMachine_EveryPhaseIsNamedAndReachable(t *testing.T) {
	seen := map[phaseID]bool{phaseLoading: true}
	queue := []phaseID{phaseLoading}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, next := range machine[p].next {
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	names := map[string]bool{}
	for _, p := range allPhases() {
		require.NotEmpty(t, machine[p].name, "phase %d has no name", p)
		require.False(t, names[p.String()], "phase name %q is used twice", p)
		names[p.String()] = true
		require.True(t, seen[p], "phase %s cannot be reached from loading", p)
		require.NotContains(t, machine[p].next, p, "phase %s declares a move to itself", p)
	}
	require.Equal(t, "phase(200)", phaseID(200).String())
	require.False(t, phaseID(200).allows(phaseLoading))
}

// The machine, as the rest of the package relies on it. A change to the
// moves changes this table too, on purpose.
func TestPhaseID_Allows(t *testing.T) {
	declared := map[phaseID][]phaseID{
		phaseLoading:      {phaseAbsent, phaseLive, phaseFinishing, phaseFinished, phaseUnavailable, phaseCreating},
		phaseAbsent:       {phaseCreating},
		phaseCreating:     {phaseLive, phaseFinishing, phaseCreateFailed, phaseLoading},
		phaseLive:         {phaseFinishing, phaseHandedOff, phaseUnavailable},
		phaseFinishing:    {phaseFinished, phaseUnavailable},
		phaseFinished:     nil,
		phaseHandedOff:    nil,
		phaseUnavailable:  nil,
		phaseCreateFailed: nil,
	}
	require.Len(t, declared, len(machine))
	for _, from := range allPhases() {
		for _, to := range allPhases() {
			want := false
			for _, d := range declared[from] {
				want = want || d == to
			}
			require.Equal(t, want, from.allows(to), "%s → %s", from, to)
		}
	}
}

func TestActor_BecomeTakesEveryDeclaredMove(t *testing.T) {
	for _, from := range allPhases() {
		for _, to := range machine[from].next {
			t.Run(from.String()+"→"+to.String(), func(t *testing.T) {
				a, logs := phaseActor(t, from)
				a.become(&stubContext{}, to)
				require.Equal(t, to, a.phase)
				lines := logs()
				require.Len(t, lines, 1)
				require.Equal(t, "DEBUG", lines[0]["level"])
				require.Equal(t, from.String(), lines[0]["from"])
				require.Equal(t, to.String(), lines[0]["to"])
			})
		}
	}
}

func TestActor_BecomeRefusesAnUndeclaredMove(t *testing.T) {
	for _, from := range allPhases() {
		for _, to := range allPhases() {
			if from.allows(to) {
				continue
			}
			t.Run(from.String()+"→"+to.String(), func(t *testing.T) {
				a, _ := phaseActor(t, from)
				require.Panics(t, func() { a.become(&stubContext{}, to) }, "tests panic")
				require.Equal(t, from, a.phase)

				strictTransitions.Store(false)
				defer strictTransitions.Store(true)
				a, logs := phaseActor(t, from)
				a.become(&stubContext{}, to)
				require.Equal(t, from, a.phase, "production stays where it is")
				lines := logs()
				require.Len(t, lines, 1)
				require.Equal(t, "ERROR", lines[0]["level"])
				require.Equal(t, "session phase transition refused", lines[0]["msg"])
				require.Equal(t, from.String(), lines[0]["from"])
				require.Equal(t, to.String(), lines[0]["to"])
			})
		}
	}
}

// Messages held while loading replay in arrival order in the phase the
// session moves to; a refused move keeps them held.
func TestActor_BecomeReplaysHeldMessagesInOrder(t *testing.T) {
	a, _ := phaseActor(t, phaseLoading)
	a.claimed = true // the row's claim is in flight
	ctx := &stubContext{}
	from := &protos.PlayerRef{PlayerId: "p1", Address: "nonhost", Id: "conn"}
	for id := int64(1); id <= 3; id++ {
		a.handle(ctx, &protos.WhackMole{From: from, RequestId: id})
	}
	require.Len(t, a.stash, 3)
	require.Empty(t, ctx.sent)

	strictTransitions.Store(false)
	a.become(ctx, phaseHandedOff)
	strictTransitions.Store(true)
	require.Len(t, a.stash, 3, "a refused move replays nothing")

	a.become(ctx, phaseFinished)
	require.Empty(t, a.stash)
	require.Len(t, ctx.sent, 3)
	for i, ev := range ctx.sent {
		require.Equal(t, events.TypeError, ev.Type)
		require.EqualValues(t, i+1, ev.RequestId)
	}
}

func TestActor_UnknownMessageIsLoggedInEveryPhase(t *testing.T) {
	for _, p := range append(allPhases(), phaseID(len(machine))) {
		t.Run(p.String(), func(t *testing.T) {
			a, logs := phaseActor(t, p)
			counter := unknownMessages.WithLabelValues(p.String())
			before := testutil.ToFloat64(counter)
			a.handle(&stubContext{}, &stray{})
			require.Empty(t, a.stash, "an unknown message is not held")
			require.InDelta(t, before+1, testutil.ToFloat64(counter), 0)
			lines := logs()
			require.Len(t, lines, 1)
			require.Equal(t, "WARN", lines[0]["level"])
			require.Equal(t, "unknown session message", lines[0]["msg"])
			require.Equal(t, p.String(), lines[0]["phase"])
			require.Equal(t, "*session.stray", lines[0]["message"])
			require.Equal(t, a.id, lines[0]["session"])
		})
	}
}

// Late timers and results are expected after the phase that wanted them:
// dropped without a word.
func TestActor_LateMessagesAreDroppedQuietly(t *testing.T) {
	for _, msg := range []any{&tick{}, &snapshotSaved{}, &waitingExpired{}, &retryCommit{}} {
		for _, p := range []phaseID{phaseFinishing, phaseFinished, phaseHandedOff, phaseUnavailable} {
			if _, ok := msg.(*retryCommit); ok && p == phaseFinishing {
				continue // finishing takes it
			}
			a, logs := phaseActor(t, p)
			a.handle(&stubContext{}, msg)
			require.Empty(t, logs(), "%T in %s", msg, p)
		}
	}
}
