package memory

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
)

// bus delivers publishes to this process's subscribers.
type bus struct {
	mu     sync.RWMutex
	subs   map[*subscriber]struct{}
	closed bool
	stop   chan struct{}
	wg     sync.WaitGroup
	once   sync.Once
}

// subscriber is one Subscribe call: its prefix and bounded queue.
type subscriber struct {
	prefix string
	queue  chan message
}

// message is one delivery; the payload is the bus's own copy.
type message struct {
	topic   string
	payload []byte
}

// Publish implements persistence.Publisher: it queues payload for every
// subscriber of this node whose prefix starts topic, without waiting for
// any (a full queue drops the message). Enqueueing under the read lock
// keeps one caller's sequential publishes in order for each subscriber.
func (e *Engine) Publish(ctx context.Context, topic string, payload []byte) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("publish %s: %w", topic, err)
	}
	b := &e.bus
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return fmt.Errorf("publish %s: %w", topic, errClosed)
	}
	m := message{topic: topic, payload: bytes.Clone(payload)}
	for s := range b.subs {
		if !strings.HasPrefix(topic, s.prefix) {
			continue
		}
		select {
		case s.queue <- m:
		default:
			busDropped.Inc()
		}
	}
	busPublished.Inc()
	return nil
}

// Subscribe implements persistence.Bus: the subscription is live when it
// returns; deliver runs on one goroutine per subscription until ctx ends or
// the engine closes.
func (e *Engine) Subscribe(ctx context.Context, prefix string, deliver func(topic string, payload []byte)) error {
	b := &e.bus
	s := &subscriber{prefix: prefix, queue: make(chan message, e.queue)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return fmt.Errorf("subscribe %s: %w", prefix, errClosed)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("subscribe %s: %w", prefix, err)
	}
	b.subs[s] = struct{}{}
	b.wg.Add(1)
	busSubscriptions.Inc()
	go b.deliverLoop(ctx, s, deliver)
	return nil
}

// deliverLoop hands s's messages to deliver until ctx ends or the bus
// closes; what is still queued then is discarded.
func (b *bus) deliverLoop(ctx context.Context, s *subscriber, deliver func(string, []byte)) {
	defer b.wg.Done()
	defer busSubscriptions.Dec()
	defer b.remove(s)
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.stop:
			return
		case m := <-s.queue:
			deliver(m.topic, m.payload)
		}
	}
}

// remove ends s's membership so publishes stop queueing for it.
func (b *bus) remove(s *subscriber) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, s)
}

// close ends every subscription and waits for their goroutines.
func (b *bus) close() {
	b.once.Do(func() {
		b.mu.Lock()
		b.closed = true
		close(b.stop)
		b.mu.Unlock()
		b.wg.Wait()
	})
}
