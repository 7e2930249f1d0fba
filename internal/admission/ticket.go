package admission

import "sync/atomic"

// Ticket is one admitted game's hold on the controller's counts. Its
// methods are idempotent and safe on a nil Ticket.
type Ticket struct {
	c        *Controller
	answered atomic.Bool
	closed   atomic.Bool
}

// Answered ends the game's opening: its session replied (ack or error).
func (t *Ticket) Answered() {
	if t == nil || !t.answered.CompareAndSwap(false, true) {
		return
	}
	t.c.opening.Add(-1)
	t.c.opts.Metrics.Opening.Dec()
}

// Close ends the game's hold: it ended, failed or its connection left.
func (t *Ticket) Close() {
	if t == nil || !t.closed.CompareAndSwap(false, true) {
		return
	}
	t.Answered()
	t.c.active.Add(-1)
	t.c.opts.Metrics.Active.Dec()
}
