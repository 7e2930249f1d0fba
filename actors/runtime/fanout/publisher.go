package fanout

import "github.com/proofstell/proofstell/actors/protos"

// Publisher is how an actor sends a live event to the sockets subscribed to
// a topic ("leaderboard:<board>", "game:<session>", "player:<id>") on every
// node of the cluster. It is the one publishing contract of the actor kinds
// (session, leaderboard, scheduler, chain writer, badge worker); Hub
// implements it over persistence.Publisher (Redis pub/sub).
//
// The contract:
//   - Publish never blocks and returns nothing, so actors call it from their
//     mailbox. It encodes ev before returning: the caller may reuse ev.
//   - Delivery is best effort, at most once. An event is dropped, and
//     counted (proofstell_fanout_publish_drops_total), when the node's publish queue
//     (FANOUT_PUBLISH_QUEUE) is full; it is lost, and logged, when the bus
//     refuses it; a node that is down or resubscribing, or whose subscriber
//     queue (REDIS_SUBSCRIBE_QUEUE) is full, misses it. Nothing is retried,
//     so an event only announces state that can be read again elsewhere
//     (REST, the next event, a resume).
//   - Ordering: events published through one node's Publisher reach each
//     subscribed socket in the order they were published, with gaps where
//     events were lost. Events published on different nodes have no order
//     between them.
//   - Errors are never returned: the publisher cannot act on a lost live
//     update, and the metrics and logs above make the losses visible.
type Publisher interface {
	Publish(topic string, ev *protos.ClientEvent)
}

var _ Publisher = (*Hub)(nil)
