package player

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"
)

// opsHub reports every subscription change in order.
type opsHub struct{ ops chan string }

func (h *opsHub) Subscribe(topic string, _ *actor.PID)   { h.ops <- "sub " + topic }
func (h *opsHub) Unsubscribe(topic string, _ *actor.PID) { h.ops <- "unsub " + topic }
func (h *opsHub) UnsubscribeAll(*actor.PID)              { h.ops <- "unsub all" }

// waitOp reads ops until want, failing at the deadline.
func (h *opsHub) waitOp(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case op := <-h.ops:
			if op == want {
				return
			}
		case <-deadline:
			t.Fatalf("no %q", want)
		}
	}
}

func TestActor_SubscribesToItsTopic(t *testing.T) {
	h := &opsHub{ops: make(chan string, 64)}
	f := newFixture(t, func(d *Deps) { d.Hub = h })
	require.Equal(t, "player:p1", Topic("p1"))
	h.waitOp(t, "sub player:p1")

	f.detach()
	h.waitOp(t, "unsub player:p1")
}
