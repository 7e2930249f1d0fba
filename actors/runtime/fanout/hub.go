// Package fanout delivers events to sockets across the cluster.
//
// Actors publish a protos.ClientEvent on a topic ("leaderboard:daily",
// "game:<id>", "player:<id>"); the Hub sends it through the cross-node Bus
// (Redis pub/sub), and every node's Hub writes it to the sockets on that node
// subscribed to the topic. Delivery is at most once: these are live updates,
// and every one of them can be re-read from the REST API.
//
// # The data path
//
// Subscribing is a decision of the player actor (it subscribes its own
// player topic when it starts, games and boards when the client asks, and
// everything is dropped when it stops). With each subscription the actor
// hands the hub its connection's Socket, the send queue the gateway
// provides. Delivery then bypasses the actor: for each bus message the hub
// decodes the event once, wraps it in one Broadcast, and offers that same
// Broadcast to every local subscriber's Socket, in the bus goroutine, under a
// read lock. The gateway encodes the frame once per Broadcast (the first
// socket builds it, the others share it) and queues it; the socket's drain
// goroutine writes it with the rest of its queue in one system call. So a
// broadcast to N local sockets costs one decode, one encode and N bounded
// enqueues: no actor message per subscriber.
//
// Deliver never blocks. A full send queue drops the frame and counts it
// (proofstell_fanout_delivery_drops_total here, proofstell_ws_send_queue_drops_total in the
// gateway); the gateway's slow-client policy (WS_DROP_LIMIT drops in a row
// close the socket with 4009) applies to broadcasts exactly as to any other
// frame.
package fanout

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"google.golang.org/protobuf/proto"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// busPrefix namespaces the hub's topics on the bus.
const busPrefix = "events:"

var (
	publishDrops = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_fanout_publish_drops_total",
		Help: "Events dropped because the publish queue was full (overflow policy: drop).",
	})
	publishQueueDepth = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_fanout_publish_queue_depth",
		Help: "Events waiting to be published to the bus.",
	})
	deliveries = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_fanout_deliveries_total",
		Help: "Events queued on local subscribers' sockets.",
	})
	deliveryDrops = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_fanout_delivery_drops_total",
		Help: "Events a local subscriber's socket refused (send queue full or socket closing).",
	})
)

type outbound struct {
	topic   string
	payload []byte
}

// Hub is the node's end of the event bus. Safe for concurrent use.
type Hub struct {
	bus    persistence.Bus
	logger *slog.Logger
	out    chan outbound

	mu sync.RWMutex
	// Slices, not maps: most topics (a player's own, a game's) have one or
	// a few subscribers and an idle socket's subscription should cost tens
	// of bytes; a broadcast walks its topic's slice in order.
	topics map[string][]subscriber // topic -> its local subscribers
	byPID  map[pidKey][]string     // subscribing actor -> its topics, for UnsubscribeAll
	// positions indexes the subscribers of large topics (indexFrom and
	// more: a popular board's live updates), so a subscribe or unsubscribe
	// there does not scan every subscriber.
	positions map[string]map[pidKey]int
	// delivered, when set (OnDelivered), hears every broadcast this node
	// queued on at least one local socket.
	delivered func(b *Broadcast, queued int)
}

// A topic is indexed from indexFrom subscribers and stops being below
// indexFrom/2, so a topic hovering at the threshold is not re-indexed on
// every change.
const indexFrom = 64

// pidKey identifies a subscribing actor by its PID's fields. It shares the
// PID's strings: PID.String formats the protobuf message as text, which
// cost every idle socket's subscription a few hundred bytes of garbage and
// a kept string.
type pidKey struct{ address, id string }

func keyOf(pid *actor.PID) pidKey { return pidKey{address: pid.Address, id: pid.Id} }

// subscriber is one local socket subscribed to a topic.
type subscriber struct {
	key  pidKey // the subscribing actor
	sock Socket
}

// NewHub builds a hub with a publish queue of queueSize events.
func NewHub(bus persistence.Bus, queueSize int, logger *slog.Logger) *Hub {
	return &Hub{
		bus:       bus,
		logger:    logger,
		out:       make(chan outbound, queueSize),
		topics:    map[string][]subscriber{},
		byPID:     map[pidKey][]string{},
		positions: map[string]map[pidKey]int{},
	}
}

// Subscribe makes the topic's events reach sock, the socket of the actor
// pid. pid identifies the subscription (Unsubscribe, UnsubscribeAll); the
// events themselves never pass through its mailbox. Subscribing again
// replaces the socket.
func (h *Hub) Subscribe(topic string, pid *actor.PID, sock Socket) {
	key := keyOf(pid)
	h.mu.Lock()
	defer h.mu.Unlock()
	subs := h.topics[topic]
	if i := h.find(topic, key); i >= 0 {
		subs[i].sock = sock
		return
	}
	subs = append(subs, subscriber{key: key, sock: sock})
	h.topics[topic] = subs
	h.byPID[key] = append(h.byPID[key], topic)
	switch pos := h.positions[topic]; {
	case pos != nil:
		pos[key] = len(subs) - 1
	case len(subs) >= indexFrom:
		pos = make(map[pidKey]int, len(subs))
		for i, sub := range subs {
			pos[sub.key] = i
		}
		h.positions[topic] = pos
	}
}

// find is the position of key among topic's subscribers, or -1; the caller
// holds mu.
func (h *Hub) find(topic string, key pidKey) int {
	if pos, ok := h.positions[topic]; ok {
		if i, ok := pos[key]; ok {
			return i
		}
		return -1
	}
	for i, sub := range h.topics[topic] {
		if sub.key == key {
			return i
		}
	}
	return -1
}

// Unsubscribe stops the topic's events for pid.
func (h *Hub) Unsubscribe(topic string, pid *actor.PID) {
	key := keyOf(pid)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeSubscriber(topic, key)
	if topics := without(h.byPID[key], topic); len(topics) > 0 {
		h.byPID[key] = topics
	} else {
		delete(h.byPID, key)
	}
}

// UnsubscribeAll removes pid from every topic (its socket closed).
func (h *Hub) UnsubscribeAll(pid *actor.PID) {
	key := keyOf(pid)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, topic := range h.byPID[key] {
		h.removeSubscriber(topic, key)
	}
	delete(h.byPID, key)
}

// removeSubscriber drops key from topic's subscribers; the caller holds mu.
func (h *Hub) removeSubscriber(topic string, key pidKey) {
	i := h.find(topic, key)
	if i < 0 {
		return
	}
	subs := h.topics[topic]
	last := len(subs) - 1
	subs[i] = subs[last]
	subs[last] = subscriber{} // the socket is not kept alive by the backing array
	if pos := h.positions[topic]; pos != nil {
		delete(pos, key)
		if i != last {
			pos[subs[i].key] = i
		}
		if last < indexFrom/2 {
			delete(h.positions, topic)
		}
	}
	if last == 0 {
		delete(h.topics, topic)
	} else {
		h.topics[topic] = subs[:last]
	}
}

// without removes topic from topics in place.
func without(topics []string, topic string) []string {
	for i, t := range topics {
		if t == topic {
			last := len(topics) - 1
			topics[i] = topics[last]
			return topics[:last]
		}
	}
	return topics
}

// Publish queues ev for every subscriber of topic in the cluster. It never
// blocks: when the queue is full the event is dropped and counted.
func (h *Hub) Publish(topic string, ev *protos.ClientEvent) {
	payload, err := proto.Marshal(ev)
	if err != nil {
		h.logger.Error("encode event", slog.String("topic", topic), slog.Any("error", err))
		return
	}
	select {
	case h.out <- outbound{topic: topic, payload: payload}:
		publishQueueDepth.Inc()
	default:
		publishDrops.Inc()
	}
}

// Local offers ev to this node's subscribers of topic only, at once,
// without the bus, and returns how many sockets took it. It is for events
// every node derives by itself from shared state (maintenance mode: each
// node's settings holder sees the change), so the cluster sends each
// socket one copy and a lost bus message loses nothing. It never blocks.
func (h *Hub) Local(topic string, ev *protos.ClientEvent) int {
	return h.broadcast(&Broadcast{Topic: topic, Event: ev})
}

// OnDelivered makes fn hear each broadcast after this node offered it,
// with how many local sockets took it (only when at least one did), so a
// feature can record that its event reached a socket (actors/notifications
// marks alerts delivered). fn runs in the bus goroutine and must not block
// nor call back into the hub. Call it before Start.
func (h *Hub) OnDelivered(fn func(b *Broadcast, queued int)) { h.delivered = fn }

// Start subscribes to the bus; it returns once the subscription is live.
func (h *Hub) Start(ctx context.Context) error {
	if err := h.bus.Subscribe(ctx, busPrefix, h.deliver); err != nil {
		return fmt.Errorf("subscribe to events: %w", err)
	}
	return nil
}

// Run publishes queued events until ctx ends.
func (h *Hub) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case o := <-h.out:
			publishQueueDepth.Dec()
			if err := h.bus.Publish(ctx, busPrefix+o.topic, o.payload); err != nil {
				h.logger.Warn("publish event", slog.String("topic", o.topic), slog.Any("error", err))
			}
		}
	}
}

// deliver hands a bus message to this node's subscribers of its topic.
func (h *Hub) deliver(busTopic string, payload []byte) {
	topic := busTopic[len(busPrefix):]
	ev := &protos.ClientEvent{}
	if err := proto.Unmarshal(payload, ev); err != nil {
		h.logger.Warn("decode bus event", slog.String("topic", topic), slog.Any("error", err))
		return
	}
	b := &Broadcast{Topic: topic, Event: ev}
	if queued := h.broadcast(b); queued > 0 && h.delivered != nil {
		h.delivered(b, queued)
	}
}

// broadcast offers b to every local subscriber of its topic. Deliver never
// blocks nor calls back into the hub, so holding the read lock is safe; a
// subscription change waits for at most one broadcast.
//
// A topic ending in Wildcard ("player:*") reaches the subscribers of every
// topic it prefixes ("player:<id>"), each subscription once. It walks every
// topic of the node, so it is for rare announcements to everyone online
// (challenge:started), not per-game traffic; in exchange it costs the
// sockets no subscription of their own. It returns how many sockets took b.
func (h *Hub) broadcast(b *Broadcast) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var queued, dropped int
	offer := func(subs []subscriber) {
		for _, sub := range subs {
			if sub.sock.Deliver(b) {
				queued++
			} else {
				dropped++
			}
		}
	}
	if prefix, wild := strings.CutSuffix(b.Topic, Wildcard); wild {
		for topic, subs := range h.topics {
			if strings.HasPrefix(topic, prefix) {
				offer(subs)
			}
		}
	} else {
		offer(h.topics[b.Topic])
	}
	deliveries.Add(float64(queued))
	deliveryDrops.Add(float64(dropped))
	return queued
}

// Wildcard ends a topic that names every topic it prefixes (broadcast).
const Wildcard = "*"
