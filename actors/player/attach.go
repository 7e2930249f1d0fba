package player

import (
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var commandsDropped = promauto.NewCounter(prometheus.CounterOpts{
	Name: "proofstell_player_commands_dropped_total",
	Help: "Client commands dropped because the player actor had too many waiting (overflow policy: drop).",
})

// Spawner starts a player actor per connection; it implements gateway/ws's
// Attacher.
type Spawner struct {
	Root *actor.RootContext
	// Deps is shared by every actor the Spawner starts; it must not change
	// after the first Attach.
	Deps Deps
	// MailboxSize bounds the client commands waiting in one player actor's
	// mailbox; more are dropped (the gateway's rate limit makes that rare).
	MailboxSize int
}

// Attach spawns the connection's actor. deliver never blocks; detach stops
// the actor and is safe to call more than once.
//
// The bound is a counter rather than protoactor's bounded mailbox, whose ring
// buffer is allocated at full size for every socket, idle or not.
func (s *Spawner) Attach(id Identity, conn Conn) (deliver func(Command), detach func()) {
	a := &attachment{s: s}
	a.pid = s.Root.Spawn(Props(&s.Deps, id, conn, &a.waiting))
	return a.deliver, a.detach
}

// attachment is what a connection's deliver and detach share: one object
// per socket for as long as it is open.
type attachment struct {
	s        *Spawner
	pid      *actor.PID
	waiting  atomic.Int64
	detached atomic.Bool
}

func (a *attachment) deliver(c Command) {
	if a.waiting.Add(1) > int64(a.s.MailboxSize) {
		a.waiting.Add(-1)
		commandsDropped.Inc()
		return
	}
	a.s.Root.Send(a.pid, &c)
}

func (a *attachment) detach() {
	if a.detached.CompareAndSwap(false, true) {
		a.s.Root.Send(a.pid, &Disconnected{})
	}
}
