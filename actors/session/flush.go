package session

import (
	"context"
	"fmt"
	"sync"
)

// Flush tracks the final snapshots that stopping session activations write
// off their mailboxes (see Deps.Flush), so a node that is leaving can wait
// for them: a game that moves to another node then resumes from where it
// stopped rather than from its last periodic snapshot.
//
// The zero value is ready to use; a nil *Flush tracks nothing and Wait
// returns at once. It is safe for concurrent use.
type Flush struct {
	mu      sync.Mutex
	pending int
	idle    chan struct{} // closed when pending drops to 0; nil while idle
}

// Wait blocks until every final snapshot started so far is written (or has
// failed), or until ctx ends (the error then wraps ctx.Err()). Call it once
// the node has stopped its session activations (their Stopping starts the
// writes) and before the store closes; a write started later is not waited
// for.
func (f *Flush) Wait(ctx context.Context) error {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	idle := f.idle
	f.mu.Unlock()
	if idle == nil {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for final session snapshots: %w", ctx.Err())
	}
}

// Pending returns the final snapshots still being written.
func (f *Flush) Pending() int {
	if f == nil {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pending
}

// begin records one more write in flight.
func (f *Flush) begin() {
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pending == 0 {
		f.idle = make(chan struct{})
	}
	f.pending++
}

// done records the end of a write begun with begin.
func (f *Flush) done() {
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending--
	if f.pending == 0 {
		close(f.idle)
		f.idle = nil
	}
}
