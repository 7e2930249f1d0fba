package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/bench/cluster/internal/members"
	"github.com/proofstell/proofstell/bench/cluster/internal/wsplay"
)

// never marks a moment that did not come within the wait.
const never time.Duration = -1

// iteration is one kill and what the player saw.
type iteration struct {
	N         int
	Player    int // member holding the socket
	Host      int // member killed: the session's host
	Predicted int // rendezvous placement of the session, cross-check
	Attempts  int
	NewHost   int // survivor that hosted the session after the kill, -1 if none
	// Moments since the kill.
	Paused, Started, Hosted, Mole, Over time.Duration
	Restart                             time.Duration // restart → every member sees all
	Err                                 string
	Trace                               []string // first frames after the kill
	Unpaused                            bool     // "started" came without a "paused" first
	Repaused                            int      // "paused" again after the "started" (a second move)
	Fatal                               bool     // the cluster could not be restored
}

func (it iteration) summary() string {
	return fmt.Sprintf("#%d player %d host %d → %d: paused %s started %s hosted %s mole %s restart %s repaused %d %s %v",
		it.N, it.Player, it.Host, it.NewHost, ms(it.Paused), ms(it.Started), ms(it.Hosted), ms(it.Mole), ms(it.Restart), it.Repaused, it.Err, it.Trace)
}

// iterate runs one kill: a game off the player's member, the kill, the
// observation, then the restart.
func (r *runner) iterate(ctx context.Context, n int) iteration {
	it := iteration{N: n, Host: -1, NewHost: -1, Paused: never, Started: never, Hosted: never, Mole: never, Over: never}
	p, ack, err := r.startOffMember(ctx, &it)
	if err != nil {
		it.Err = err.Error()
		return it
	}
	if err := r.runUntilKill(ctx, p, ack.SessionID); err != nil {
		p.Close()
		it.Err = err.Error()
		return it
	}
	survivors := without(r.cluster.All(), it.Host)
	base, err := r.cluster.GaugeAll(ctx, members.GaugeSessions, survivors)
	if err != nil {
		p.Close()
		it.Err = err.Error()
		return it
	}
	killedAt := time.Now()
	if err := r.cluster.Kill(it.Host); err != nil {
		p.Close()
		it.Err, it.Fatal = err.Error(), true
		return it
	}
	r.observe(ctx, p, ack.SessionID, watch{survivors: survivors, base: base, killedAt: killedAt}, &it)
	p.Close()
	r.restart(ctx, &it)
	return it
}

// startOffMember signs a guest in and starts games until one's session lands
// on another member than the socket's (closing the socket of each miss).
func (r *runner) startOffMember(ctx context.Context, it *iteration) (*wsplay.Player, events.SessionAck, error) {
	all := r.cluster.All()
	for attempt := range r.cfg.Attempts {
		it.Attempts, it.Player = attempt+1, (it.N+attempt)%len(all)
		p, err := wsplay.Connect(ctx, r.cluster.Base(it.Player), fmt.Sprintf("failover-%04d-%d", it.N, attempt))
		if err != nil {
			return nil, events.SessionAck{}, err
		}
		var ack events.SessionAck
		pl, err := r.cluster.Place(ctx, all, func() (string, error) {
			ack, err = p.StartSolo(ctx, r.cfg.Mode)
			return ack.SessionID, err
		})
		if err != nil {
			p.Close()
			return nil, ack, err
		}
		it.Host, it.Predicted = pl.Host, pl.Predicted
		if it.Host < 0 {
			it.Host = pl.Predicted // gauges ambiguous: trust the hash
		}
		if it.Host != it.Player {
			return p, ack, nil
		}
		p.Close()
	}
	return nil, events.SessionAck{}, fmt.Errorf("no game landed off the player's member in %d attempts", r.cfg.Attempts)
}

// runUntilKill waits for the game's first mole (it is running), then lets it
// run for the drawn kill delay.
func (r *runner) runUntilKill(ctx context.Context, p *wsplay.Player, sessionID string) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for {
		select {
		case f, ok := <-p.Frames():
			if !ok {
				return wsplay.ErrClosed
			}
			var m events.Mole
			if f.T == events.TypeMole && json.Unmarshal(f.D, &m) == nil && m.GameID == sessionID {
				if !sleep(ctx, r.killDelay()) {
					return fmt.Errorf("game running: %w", ctx.Err())
				}
				return nil
			}
		case <-ctx.Done():
			return fmt.Errorf("wait for the first mole: %w", ctx.Err())
		}
	}
}

// restart starts the killed member again and waits until every member sees
// the whole cluster.
func (r *runner) restart(ctx context.Context, it *iteration) {
	began := time.Now()
	if err := r.cluster.StartMember(ctx, it.Host); err != nil {
		it.Err, it.Fatal = "restart: "+err.Error(), true
		return
	}
	if err := r.cluster.AwaitMembers(ctx, r.cluster.Size()); err != nil {
		it.Err, it.Fatal = "rejoin: "+err.Error(), true
		return
	}
	it.Restart = time.Since(began)
}

func without(all []int, x int) []int {
	out := make([]int, 0, len(all))
	for _, i := range all {
		if i != x {
			out = append(out, i)
		}
	}
	return out
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func ms(d time.Duration) string {
	if d < 0 {
		return "—"
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}
