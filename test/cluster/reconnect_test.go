package cluster

import (
	"fmt"
	"time"
)

// resumeWithin bounds how long a client keeps trying to reconnect and
// resume its game after losing its socket.
const resumeWithin = 20 * time.Second

// retryEvery paces a client's reconnection attempts, like a real client's
// backoff; it is not a wait for server state.
const retryEvery = 200 * time.Millisecond

// playThrough plays g to game:over like a well-behaved client: whenever its
// socket closes it reconnects to another running member and sends
// game:resume. It returns the socket in use at the end (the caller closes
// it; intermediate sockets are closed here).
func (g *game) playThrough(grp *group, s *socket, p player, within time.Duration) (*socket, error) {
	deadline := time.Now().Add(within)
	for {
		err := g.play(s, time.Until(deadline))
		if err == nil || !isClosed(err) {
			return s, err
		}
		lost := s.member
		s.close()
		if s, err = g.reconnect(grp, lost, p, deadline); err != nil {
			return nil, err
		}
	}
}

// reconnect dials a running member other than lost and resumes g on it,
// retrying (other members, transient errors) until it works or the
// deadline passes.
func (g *game) reconnect(grp *group, lost *member, p player, deadline time.Time) (*socket, error) {
	deadline = minTime(deadline, time.Now().Add(resumeWithin))
	tick := time.NewTicker(retryEvery)
	defer tick.Stop()
	var last error
	for attempt := 0; time.Now().Before(deadline); attempt++ {
		s, err := g.resumeOn(grp.pick(lost, attempt), p)
		if err == nil {
			g.note("resumed on %s", s.member.name)
			return s, nil
		}
		last = err
		<-tick.C
	}
	return nil, fmt.Errorf("game %s: could not resume: %w", g.sessionID, last)
}

// resumeOn connects p to m and resumes g there.
func (g *game) resumeOn(m *member, p player) (*socket, error) {
	if m == nil {
		return nil, fmt.Errorf("no running member to reconnect to")
	}
	s, err := dialSocket(m, p)
	if err != nil {
		return nil, err
	}
	if err := s.call("game:resume", map[string]string{"sessionId": g.sessionID}, nil); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// pick chooses a running member other than avoid, rotating by attempt.
func (grp *group) pick(avoid *member, attempt int) *member {
	candidates := grp.others(avoid)
	for i := range candidates {
		if m := candidates[(attempt+i)%len(candidates)]; m.running() {
			return m
		}
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
