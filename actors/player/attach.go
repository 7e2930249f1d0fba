package player

import (
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var commandsDropped = promauto.NewCounter(prometheus.CounterOpts{
	Name: "player_commands_dropped_total",
	Help: "Client commands dropped because the player actor had too many waiting (overflow policy: drop).",
})

// Spawner starts a player actor per connection; it implements gateway/ws's
// Attacher.
type Spawner struct {
	Root *actor.RootContext
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
	waiting := &atomic.Int64{}
	pid := s.Root.Spawn(Props(s.Deps, id, conn, waiting))
	limit := int64(s.MailboxSize)
	var once sync.Once
	deliver = func(c Command) {
		if waiting.Add(1) > limit {
			waiting.Add(-1)
			commandsDropped.Inc()
			return
		}
		s.Root.Send(pid, &c)
	}
	detach = func() { once.Do(func() { s.Root.Send(pid, &Disconnected{}) }) }
	return deliver, detach
}
