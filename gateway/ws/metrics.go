package ws

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/proofstell/proofstell/actors/player"
)

// Reasons counted in proofstell_ws_rejected_total.
const (
	rejectOrigin       = "origin"
	rejectUnauthorized = "unauthorized"
	rejectShutdown     = "shutting_down"
	rejectRateLimited  = "rate_limited"
	rejectBadFrame     = "bad_frame"
	rejectBinary       = "binary"
	// Engine.IO requests refused before any packet is read (protocol
	// version, transport, method), and requests naming no live session.
	rejectBadRequest     = "bad_request"
	rejectUnknownSession = "unknown_session"
)

// Values of the "gateway" label every collector carries.
const (
	gatewayNative   = "ws"
	gatewaySocketIO = "socketio"
)

// Metrics are the gateway's Prometheus collectors, labelled by gateway
// ("ws" for /ws, "socketio" for /socket.io/). One Metrics is shared by every
// connection of a Handler.
type Metrics struct {
	vecs   []prometheus.Collector
	native *gatewayMetrics
	sio    *gatewayMetrics
}

// gatewayMetrics are one gateway's children of the collectors, resolved
// once so a connection's counting costs no label look-up.
type gatewayMetrics struct {
	connections prometheus.Gauge
	queued      prometheus.Gauge
	messagesIn  *prometheus.CounterVec // by type
	// inByType holds messagesIn's child of every client message, resolved
	// once: counting a frame costs a map read, not a label look-up.
	inByType    map[string]prometheus.Counter
	messagesOut prometheus.Counter
	through     prometheus.Counter
	split       prometheus.Counter
	drops       prometheus.Counter
	rejected    *prometheus.CounterVec // by reason
	floodCloses prometheus.Counter
	rtt         prometheus.Observer
}

// NewMetrics creates the collectors and registers them with reg; a nil reg
// leaves them unregistered (tests, or a second handler in one process).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := newMetrics()
	if reg == nil {
		return m, nil
	}
	for _, c := range m.vecs {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register websocket metrics: %w", err)
		}
	}
	return m, nil
}

func newMetrics() *Metrics {
	gw := []string{"gateway"}
	connections := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "proofstell_ws_connections", Help: "Open player connections on this node (Socket.IO: connected to the namespace).",
	}, gw)
	queued := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "proofstell_ws_send_queue_frames", Help: "Frames waiting in send queues across connections.",
	}, gw)
	messagesIn := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_ws_messages_in_total", Help: "Client frames read, by frame type.",
	}, []string{"gateway", "type"})
	messagesOut := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_ws_messages_out_total", Help: "Server frames written to sockets.",
	}, gw)
	through := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_ws_write_through_total",
		Help: "Broadcast frames an idle socket took straight from the fan-out goroutine, without a queue or drain.",
	}, gw)
	split := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_ws_write_through_split_total",
		Help: "Write-throughs the kernel took only in part (a client near its buffer limit); the rest was queued first.",
	}, gw)
	drops := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_ws_send_queue_drops_total", Help: "Server frames dropped because a send queue was full.",
	}, gw)
	rejected := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_ws_rejected_total", Help: "Refused handshakes and client frames, by reason.",
	}, []string{"gateway", "reason"})
	floodCloses := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_ws_flood_closes_total",
		Help: "Sockets closed with 4008 for exceeding their message rate WS_FLOOD_LIMIT times within WS_FLOOD_WINDOW.",
	}, gw)
	rtt := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "proofstell_ws_rtt_seconds",
		Help:    "Ping/pong round-trip times (WebSocket control frames on /ws, Engine.IO ping packets on Socket.IO).",
		Buckets: []float64{.005, .01, .025, .05, .075, .1, .15, .25, .5, 1, 2.5},
	}, gw)
	of := func(gateway string) *gatewayMetrics {
		l := prometheus.Labels{"gateway": gateway}
		in := messagesIn.MustCurryWith(l)
		inByType := make(map[string]prometheus.Counter)
		for _, msg := range player.ClientMessages() {
			inByType[msg.Type()] = in.WithLabelValues(msg.Type())
		}
		return &gatewayMetrics{
			inByType:    inByType,
			connections: connections.With(l), queued: queued.With(l),
			messagesIn: in, messagesOut: messagesOut.With(l),
			through: through.With(l), split: split.With(l), drops: drops.With(l),
			rejected: rejected.MustCurryWith(l), floodCloses: floodCloses.With(l), rtt: rtt.With(l),
		}
	}
	return &Metrics{
		vecs:   []prometheus.Collector{connections, queued, messagesIn, messagesOut, through, split, drops, rejected, floodCloses, rtt},
		native: of(gatewayNative),
		sio:    of(gatewaySocketIO),
	}
}

// messageIn counts an accepted client frame. Its label is a row of the
// protocol table, so the label set is bounded by construction.
func (m *gatewayMetrics) messageIn(msg player.ClientMessage) {
	m.inByType[msg.Type()].Inc()
}
