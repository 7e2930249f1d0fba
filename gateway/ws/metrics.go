package ws

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/proofstell/proofstell/actors/player"
)

// Reasons counted in ws_rejected_total.
const (
	rejectOrigin       = "origin"
	rejectUnauthorized = "unauthorized"
	rejectShutdown     = "shutting_down"
	rejectRateLimited  = "rate_limited"
	rejectBadFrame     = "bad_frame"
	rejectBinary       = "binary"
)

// Metrics are the gateway's Prometheus collectors. One Metrics is shared by
// every connection of a Handler.
type Metrics struct {
	connections prometheus.Gauge
	queued      prometheus.Gauge
	messagesIn  *prometheus.CounterVec
	messagesOut prometheus.Counter
	through     prometheus.Counter
	split       prometheus.Counter
	drops       prometheus.Counter
	rejected    *prometheus.CounterVec
	floodCloses prometheus.Counter
	rtt         prometheus.Histogram
}

// NewMetrics creates the collectors and registers them with reg; a nil reg
// leaves them unregistered (tests, or a second handler in one process).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := newMetrics()
	if reg == nil {
		return m, nil
	}
	for _, c := range m.collectors() {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register websocket metrics: %w", err)
		}
	}
	return m, nil
}

func newMetrics() *Metrics {
	return &Metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ws_connections", Help: "Open player WebSocket connections on this node.",
		}),
		queued: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ws_send_queue_frames", Help: "Frames waiting in send queues across connections.",
		}),
		messagesIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ws_messages_in_total", Help: "Client frames read, by frame type.",
		}, []string{"type"}),
		messagesOut: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ws_messages_out_total", Help: "Server frames written to sockets.",
		}),
		through: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ws_write_through_total",
			Help: "Broadcast frames an idle socket took straight from the fan-out goroutine, without a queue or drain.",
		}),
		split: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ws_write_through_split_total",
			Help: "Write-throughs the kernel took only in part (a client near its buffer limit); the rest was queued first.",
		}),
		drops: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ws_send_queue_drops_total", Help: "Server frames dropped because a send queue was full.",
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ws_rejected_total", Help: "Refused handshakes and client frames, by reason.",
		}, []string{"reason"}),
		floodCloses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ws_flood_closes_total",
			Help: "Sockets closed with 4008 for exceeding their message rate WS_FLOOD_LIMIT times within WS_FLOOD_WINDOW.",
		}),
		rtt: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "ws_rtt_seconds",
			Help:    "WebSocket ping/pong round-trip times.",
			Buckets: []float64{.005, .01, .025, .05, .075, .1, .15, .25, .5, 1, 2.5},
		}),
	}
}

func (m *Metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.connections, m.queued, m.messagesIn, m.messagesOut, m.through, m.split, m.drops, m.rejected, m.floodCloses, m.rtt}
}

// messageIn counts an accepted client frame. Its label is a row of the
// protocol table, so the label set is bounded by construction.
func (m *Metrics) messageIn(msg player.ClientMessage) {
	m.messagesIn.WithLabelValues(msg.Type()).Inc()
}
