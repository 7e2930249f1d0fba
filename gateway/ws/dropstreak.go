package ws

import "sync/atomic"

// dropStreak is the slow-client policy both gateways apply to a socket's
// send queue (doc.go, "Outbound"): a frame that finds the queue full is
// dropped and counted in proofstell_ws_send_queue_drops_total, a frame queued or
// written ends the streak, and DropLimit drops in a row mean the client
// cannot keep up, so the socket is closed with 4009 without flushing.
type dropStreak struct{ n atomic.Int64 }

// delivered ends the streak: a frame was queued or written.
func (d *dropStreak) delivered() { d.n.Store(0) }

// drop counts a dropped frame and closes the socket once the streak
// reaches limit.
func (d *dropStreak) drop(m *gatewayMetrics, limit int, socket interface {
	requestClose(code int, reason string, mode closeMode)
},
) {
	m.drops.Inc()
	if d.n.Add(1) >= int64(limit) {
		socket.requestClose(CloseSlowClient, ReasonSlowClient, closeAbort)
	}
}
