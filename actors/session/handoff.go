package session

import (
	"context"
	"fmt"
	"sync"

	"github.com/asynkron/protoactor-go/actor"
)

// Local tracks the session activations living on this node, so a node that
// leaves the cluster gracefully can hand their games over exactly (see
// HandOff). The zero value is ready; a nil *Local tracks nothing.
type Local struct {
	mu   sync.Mutex
	pids map[string]*actor.PID // by PID id
}

func (l *Local) add(pid *actor.PID) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pids == nil {
		l.pids = map[string]*actor.PID{}
	}
	l.pids[pid.Id] = pid
}

func (l *Local) remove(pid *actor.PID) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.pids, pid.Id)
}

// Len is the number of live activations on this node.
func (l *Local) Len() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.pids)
}

// handOff freezes a game in play for a graceful move: the session writes a
// last snapshot and stops playing (no ticks; every message after it is
// dropped) until the node stops it. done is called once the snapshot is
// written, or at once when there is nothing to carry over.
type handOff struct {
	done func()
}

// HandOff freezes every game in play on this node and waits until their
// last snapshots are written (or ctx ends). Call it before the node leaves
// the cluster: peers then re-activate the sessions from exactly where they
// froze, and nothing a player was shown is rolled back. Whacks that reach a
// frozen session in the moment before its players learn it moved are
// dropped (the client gets no ack for them).
func (l *Local) HandOff(ctx context.Context, root *actor.RootContext) error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	pids := make([]*actor.PID, 0, len(l.pids))
	for _, pid := range l.pids {
		pids = append(pids, pid)
	}
	l.mu.Unlock()
	var wg sync.WaitGroup
	for _, pid := range pids {
		wg.Add(1)
		var once sync.Once
		root.Send(pid, &handOff{done: func() { once.Do(wg.Done) }})
	}
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("hand off %d sessions: %w", len(pids), ctx.Err())
	}
}

// onHandOff brings a game in play up to now (a tick: the game's clock only
// moves at its events), then freezes it; anything else has nothing to carry
// over (a lobby re-forms, a finishing game commits before the node stops).
func (a *Actor) onHandOff(ctx actor.Context, m *handOff) {
	if a.inPlay() {
		a.onTick(ctx)
	}
	written := a.saveLastSnapshot()
	if written == nil {
		m.done()
		return
	}
	a.stopTicks()
	a.frozen = true
	a.become(ctx, phaseHandedOff)
	go func() {
		<-written
		m.done()
	}()
}
