// Package ticks sends an actor a message at a fixed interval. It replaces
// protoactor's scheduler.SendRepeatedly, whose timer reads its state
// without synchronisation: cancelling it while it fires is a data race
// (seen by -race in the scheduler's tests). One-shot timers
// (scheduler.SendOnce) are plain time.AfterFunc and need no replacement.
package ticks

import (
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Every sends msg to pid through sender after delay and then every
// interval, until the returned cancel is called. Cancel is idempotent,
// safe from any goroutine (an actor's Stopping handler included) and never
// blocks for long; at most one message already on its way may still
// arrive. Like time.AfterFunc it holds no goroutine between ticks, so an
// actor that is never stopped leaks nothing but a timer.
func Every(sender actor.SenderContext, delay, interval time.Duration, pid *actor.PID, msg any) (cancel func()) {
	r := &repeater{}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timer = time.AfterFunc(delay, func() { r.fire(sender, interval, pid, msg) })
	return r.cancel
}

// repeater is one Every: its timer, stopped for good once done.
type repeater struct {
	mu    sync.Mutex
	timer *time.Timer
	done  bool
}

// fire sends one message and re-arms the timer unless cancelled.
func (r *repeater) fire(sender actor.SenderContext, interval time.Duration, pid *actor.PID, msg any) {
	r.mu.Lock()
	done := r.done
	r.mu.Unlock()
	if done {
		return
	}
	sender.Send(pid, msg)
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.done {
		r.timer.Reset(interval)
	}
}

func (r *repeater) cancel() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done = true
	r.timer.Stop()
}
