package ws

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/proofstell/proofstell/actors/player"
)

// socket is a player connection of either gateway, as the controls that
// reach every socket (CloseUser, CloseSignIn, Sweep, Shutdown) see it.
type socket interface {
	// identity is the player and token the socket was opened with.
	identity() player.Identity
	// Close flushes what is queued, then closes with code and reason (the
	// Socket.IO gateway tells the client both before it disconnects).
	Close(code int, reason string)
}

// registry tracks this node's live connections by player, and the requests
// in flight, so Shutdown can close them all and wait.
type registry struct {
	mu       sync.Mutex
	closing  bool
	inflight sync.WaitGroup
	// byPlayer holds each player's sockets in a slice, not a set: a player
	// has one or two, and a one-element slice costs an idle socket 16
	// bytes where a map of interface keys cost hundreds.
	byPlayer map[string][]socket
	// onShutdown runs at Shutdown, after accepting stopped: the Socket.IO
	// server closes its sessions not yet connected to the namespace.
	onShutdown []func()
}

func newRegistry() *registry {
	return &registry{byPlayer: make(map[string][]socket)}
}

// enter admits a request unless shutdown began. Adding to the wait group
// under the lock guarantees no Add races with Shutdown's Wait.
func (r *registry) enter() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closing {
		return false
	}
	r.inflight.Add(1)
	return true
}

func (r *registry) leave() { r.inflight.Done() }

// add registers an upgraded connection; false once shutdown began.
func (r *registry) add(c socket) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closing {
		return false
	}
	pid := c.identity().PlayerID
	r.byPlayer[pid] = append(r.byPlayer[pid], c)
	return true
}

func (r *registry) remove(c socket) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pid := c.identity().PlayerID
	conns := r.byPlayer[pid]
	i := slices.Index(conns, c)
	if i < 0 {
		return
	}
	if len(conns) == 1 {
		delete(r.byPlayer, pid)
		return
	}
	last := len(conns) - 1
	conns[i] = conns[last]
	conns[last] = nil // the backing array does not keep a closed socket alive
	r.byPlayer[pid] = conns[:last]
}

// player returns a snapshot of one player's connections.
func (r *registry) player(playerID string) []socket {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.byPlayer[playerID])
}

// all returns a snapshot of every connection.
func (r *registry) all() []socket {
	r.mu.Lock()
	defer r.mu.Unlock()
	var conns []socket
	for _, set := range r.byPlayer {
		conns = append(conns, set...)
	}
	return conns
}

// stopAccepting marks the registry closing, runs the shutdown hooks and
// returns every connection.
func (r *registry) stopAccepting() []socket {
	r.mu.Lock()
	r.closing = true
	hooks := r.onShutdown
	r.mu.Unlock()
	for _, hook := range hooks {
		hook()
	}
	return r.all()
}

func (r *registry) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, set := range r.byPlayer {
		n += len(set)
	}
	return n
}

// Shutdown stops accepting (new handshakes get 503), closes every
// connection with 1001 "server shutting down" after flushing its queue, and
// waits until every connection has finished and detached, or ctx ends.
// It may be called more than once.
func (h *Handler) Shutdown(ctx context.Context) error {
	for _, c := range h.reg.stopAccepting() {
		c.Close(CloseGoingAway, ReasonShuttingDown)
	}
	done := make(chan struct{})
	go func() {
		h.reg.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("websocket shutdown: %w", ctx.Err())
	}
}

// CloseUser closes every socket of playerID on this node with code and
// reason (e.g. 4001 after a token revocation, 1008 after a ban) and reports
// how many it closed.
func (h *Handler) CloseUser(playerID string, code int, reason string) int {
	conns := h.reg.player(playerID)
	for _, c := range conns {
		c.Close(code, reason)
	}
	return len(conns)
}

// Connections reports the number of open sockets on this node.
func (h *Handler) Connections() int {
	return h.reg.count()
}
