package ws

import "time"

// answeredPerWindow is how many rate-refused frames of one flood window are
// answered with an error frame. Later refusals of the window are dropped
// silently, so a flood cannot make the server write as much as it reads.
const answeredPerWindow = 3

// floodGuard counts the frames a connection had refused by its message rate.
// A window opens at a refusal and lasts window; more than limit refusals in
// it mean the client keeps exceeding its budget, and the socket is closed.
// It is pure (the caller passes the receive time) and owned by the reader.
type floodGuard struct {
	limit   int
	window  time.Duration
	start   time.Time
	refused int
}

// refuse records one refused frame received at t. answer says whether the
// frame still gets an error frame; flood says whether the socket must close.
func (g *floodGuard) refuse(t time.Time) (answer, flood bool) {
	if g.refused == 0 || t.Sub(g.start) >= g.window {
		g.start, g.refused = t, 0
	}
	g.refused++
	return g.refused <= answeredPerWindow, g.refused > g.limit
}
