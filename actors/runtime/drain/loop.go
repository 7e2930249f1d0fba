// Package drain runs the tick loop of a worker that drains outbox topics
// (the badge and notification workers): one drain per tick, a failed
// drain logged and retried on the next tick, and a Stop that waits for the
// drain in flight. Time is a message: the ticks come from the caller, so
// tests send them.
package drain

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Loop is one worker's loop. The zero value is not usable: use NewLoop.
type Loop struct {
	// name starts the log line of a failed drain ("badge worker").
	name string
	mu   sync.Mutex
	// cancel ends Run; nil before Run.
	cancel context.CancelFunc
	done   chan struct{}
}

// NewLoop builds the loop of the worker called name.
func NewLoop(name string) *Loop { return &Loop{name: name, done: make(chan struct{})} }

// Run calls drain once per value on ticks until ctx ends, Stop is called
// or ticks closes. A failed drain is logged and retried on the next tick.
// Run is called once per Loop.
func (l *Loop) Run(ctx context.Context, ticks <-chan time.Time, drain func(context.Context) error, logger *slog.Logger) {
	ctx, cancel := context.WithCancel(ctx)
	l.mu.Lock()
	l.cancel = cancel
	l.mu.Unlock()
	defer close(l.done)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ticks:
			if !ok {
				return
			}
			if err := drain(ctx); err != nil && !errors.Is(err, context.Canceled) {
				logger.Warn(l.name+": drain", slog.Any("error", err))
			}
		}
	}
}

// Stop ends Run and waits for it to return or ctx to end. Calling it
// again, or before Run, is harmless (before Run it waits for nothing).
func (l *Loop) Stop(ctx context.Context) error {
	l.mu.Lock()
	cancel := l.cancel
	l.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	select {
	case <-l.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
