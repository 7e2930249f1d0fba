package persistence

import "context"

// Publisher sends bytes to every node subscribed to a topic: the transport
// under every cross-node message (Redis pub/sub, persistence/redis.Client;
// on a node alone, in process, persistence/memory.Engine). Callers that need only to send (revocations in
// gateway/auth) take a Publisher; actors do not call it directly, they take
// actors/runtime/fanout.Publisher, which queues typed events and never blocks.
//
// The contract:
//   - Delivery is best effort, at most once. A node that is not subscribed at
//     the moment of the publish (down, reconnecting, its subscriber queue
//     full) never receives the message, and nothing is retried. A nil error
//     means the broker accepted the message, not that any node received it,
//     so a message must never carry state that exists nowhere else.
//   - Ordering: messages one caller publishes in sequence (each Publish
//     returned before the next began) reach each subscriber in that order,
//     with gaps where messages were lost. Concurrent publishes, and those of
//     different nodes, have no order between them.
//   - Publish blocks for a round trip to the broker, bounded by ctx: never
//     call it from an actor's mailbox.
//   - Errors: the broker was unreachable or ctx ended; they are wrapped with
//     the topic, and the message is lost. The caller decides whether that
//     matters (a revocation also lives in PostgreSQL and is swept).
type Publisher interface {
	Publish(ctx context.Context, topic string, payload []byte) error
}

// Bus is cross-node publish/subscribe for events delivered to sockets: a
// Publisher whose messages this node can also receive. Delivery is at most
// once (see Publisher): a subscriber that is down misses messages.
type Bus interface {
	Publisher
	// Subscribe returns once the subscription is live (a Publish after it
	// returns is delivered); from then until ctx ends, deliver is called on one
	// background goroutine for every message on a topic starting with prefix,
	// in the order the broker received them. deliver must not block.
	Subscribe(ctx context.Context, prefix string, deliver func(topic string, payload []byte)) error
}
