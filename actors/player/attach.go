package player

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"
)

// Spawner starts a player actor per connection; it implements gateway/ws's
// Attacher.
type Spawner struct {
	Root        *actor.RootContext
	Deps        Deps
	MailboxSize int
}

// Attach spawns the connection's actor. deliver never blocks (the mailbox is
// bounded and drops on overflow; the gateway rate-limits before it); detach
// stops the actor and is safe to call more than once.
func (s *Spawner) Attach(id Identity, conn Conn) (deliver func(Command), detach func()) {
	pid := s.Root.Spawn(Props(s.Deps, id, conn, s.MailboxSize))
	var once sync.Once
	deliver = func(c Command) { s.Root.Send(pid, &c) }
	detach = func() { once.Do(func() { s.Root.Send(pid, &Disconnected{}) }) }
	return deliver, detach
}
