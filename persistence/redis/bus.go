package redis

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.Bus = (*Client)(nil)

const (
	// confirmTimeout bounds the wait for Redis to acknowledge PSUBSCRIBE when
	// the caller's context has no earlier deadline.
	confirmTimeout = 5 * time.Second
	// queueSendWait is how long a full subscriber queue may hold up the
	// connection reader before the message is dropped (overflow policy:
	// drop). deliver must not block, so this only fires on a stuck consumer.
	queueSendWait = 100 * time.Millisecond
)

// errClosed reports a subscription attempted on a closed client.
var errClosed = errors.New("redis client closed")

// Publish sends payload to every node subscribed to a prefix of topic.
func (c *Client) Publish(ctx context.Context, topic string, payload []byte) error {
	if err := c.rdb.Publish(ctx, c.key(topic), payload).Err(); err != nil {
		redisErrors.WithLabelValues(opPublish).Inc()
		return fmt.Errorf("publish %s: %w", topic, err)
	}
	busPublished.Inc()
	return nil
}

// Subscribe delivers every message whose topic starts with prefix until ctx
// ends or the client closes. It returns once Redis has confirmed the
// subscription, so a message published after it returns is delivered.
// deliver runs on one goroutine per subscription and must not block. If the
// connection drops, go-redis reconnects and resubscribes; messages published
// in between are lost (the Bus is at most once).
func (c *Client) Subscribe(ctx context.Context, prefix string, deliver func(topic string, payload []byte)) error {
	ps := c.rdb.PSubscribe(ctx, escapeGlob(c.key(prefix))+"*")
	if err := confirm(ctx, ps); err != nil {
		redisErrors.WithLabelValues(opSubscribe).Inc()
		return errors.Join(fmt.Errorf("subscribe %s: %w", prefix, err), closePubSub(ps))
	}
	if !c.trackSubscription() {
		return errors.Join(fmt.Errorf("subscribe %s: %w", prefix, errClosed), closePubSub(ps))
	}
	ch := ps.ChannelWithSubscriptions(
		goredis.WithChannelSize(c.queue),
		goredis.WithChannelSendTimeout(queueSendWait),
	)
	busSubscriptions.Inc()
	go c.deliverLoop(ctx, ps, ch, deliver)
	return nil
}

// trackSubscription registers a delivery goroutine unless the client has
// closed, so Close waits for it.
func (c *Client) trackSubscription() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.subs.Add(1)
	return true
}

// confirm waits for Redis's psubscribe acknowledgement.
func confirm(ctx context.Context, ps *goredis.PubSub) error {
	msg, err := ps.ReceiveTimeout(ctx, confirmTimeout)
	if err != nil {
		return fmt.Errorf("await confirmation: %w", err)
	}
	sub, ok := msg.(*goredis.Subscription)
	if !ok || sub.Kind != "psubscribe" {
		return fmt.Errorf("unexpected reply %v before confirmation", msg)
	}
	return nil
}

// deliverLoop hands messages to deliver until ctx ends or the client closes.
func (c *Client) deliverLoop(ctx context.Context, ps *goredis.PubSub, ch <-chan any, deliver func(string, []byte)) {
	defer c.subs.Done()
	defer busSubscriptions.Dec()
	defer drain(ps, ch)
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.stopCtx.Done():
			return
		case m, ok := <-ch:
			if !ok {
				return
			}
			c.dispatch(m, deliver)
		}
	}
}

// dispatch delivers one message; a subscription notice after the first one
// means go-redis reconnected and resubscribed.
func (c *Client) dispatch(m any, deliver func(string, []byte)) {
	switch m := m.(type) {
	case *goredis.Message:
		busReceived.Inc()
		deliver(strings.TrimPrefix(m.Channel, c.prefix), []byte(m.Payload))
	case *goredis.Subscription:
		busResubscriptions.Inc()
	}
}

// drain closes the subscription and empties its channel so go-redis's reader
// goroutine, which may be waiting to enqueue, exits promptly.
func drain(ps *goredis.PubSub, ch <-chan any) {
	// The subscription is over either way; a close error has no one to go to.
	_ = closePubSub(ps)
	for range ch { //nolint:revive // the messages are discarded: nobody listens any more
	}
}

// closePubSub closes ps, wrapping the error for callers that report it.
func closePubSub(ps *goredis.PubSub) error {
	if err := ps.Close(); err != nil {
		return fmt.Errorf("close subscription: %w", err)
	}
	return nil
}

// escapeGlob quotes the characters PSUBSCRIBE treats as a pattern so a topic
// prefix only ever matches literally.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
