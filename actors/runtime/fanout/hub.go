// Package fanout delivers events to sockets across the cluster.
//
// Actors publish a protos.ClientEvent on a topic ("leaderboard:daily",
// "game:<id>"); the Hub sends it through the cross-node Bus (Redis pub/sub),
// and every node's Hub hands it to the player actors on that node subscribed
// to the topic. Delivery is at most once: these are live updates, and every
// one of them can be re-read from the REST API.
package fanout

import (
	"context"
	"fmt"
	"log/slog"
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
		Name: "fanout_publish_drops_total",
		Help: "Events dropped because the publish queue was full (overflow policy: drop).",
	})
	publishQueueDepth = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "fanout_publish_queue_depth",
		Help: "Events waiting to be published to the bus.",
	})
	deliveries = promauto.NewCounter(prometheus.CounterOpts{
		Name: "fanout_deliveries_total",
		Help: "Events handed to local subscribers.",
	})
)

type outbound struct {
	topic   string
	payload []byte
}

// Hub is the node's end of the event bus. Safe for concurrent use.
type Hub struct {
	root   *actor.RootContext
	bus    persistence.Bus
	logger *slog.Logger
	out    chan outbound

	mu   sync.RWMutex
	subs map[string]map[string]*actor.PID // topic -> PID key -> PID
}

// NewHub builds a hub with a publish queue of queueSize events.
func NewHub(root *actor.RootContext, bus persistence.Bus, queueSize int, logger *slog.Logger) *Hub {
	return &Hub{
		root:   root,
		bus:    bus,
		logger: logger,
		out:    make(chan outbound, queueSize),
		subs:   map[string]map[string]*actor.PID{},
	}
}

// Subscribe makes pid receive the topic's events.
func (h *Hub) Subscribe(topic string, pid *actor.PID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	set, ok := h.subs[topic]
	if !ok {
		set = map[string]*actor.PID{}
		h.subs[topic] = set
	}
	set[pid.String()] = pid
}

// Unsubscribe stops the topic's events for pid.
func (h *Hub) Unsubscribe(topic string, pid *actor.PID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(topic, pid)
}

// UnsubscribeAll removes pid from every topic (its socket closed).
func (h *Hub) UnsubscribeAll(pid *actor.PID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for topic := range h.subs {
		h.removeLocked(topic, pid)
	}
}

func (h *Hub) removeLocked(topic string, pid *actor.PID) {
	set := h.subs[topic]
	delete(set, pid.String())
	if len(set) == 0 {
		delete(h.subs, topic)
	}
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
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, pid := range h.subs[topic] {
		h.root.Send(pid, ev)
		deliveries.Inc()
	}
}
