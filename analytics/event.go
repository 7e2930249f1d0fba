package analytics

import (
	"time"

	"github.com/google/uuid"
)

// Event is one catalogue event ready for a provider encoder. Props hold
// string, int64 or bool values only.
type Event struct {
	// ID is deterministic (EventID): the same row always yields the same
	// ids, so a re-send is recognisable.
	ID   string
	Name string
	// Player is the pseudonymous id (Identity.Of), never the player id.
	Player string
	// Addr is a pseudonymous IPv6 address of the player (Identity.Addr),
	// for providers that count visitors by IP (Plausible).
	Addr  string
	Time  time.Time
	Props map[string]any
}

// eventNamespace roots the event UUIDs (a v5 namespace of its own).
var eventNamespace = uuid.MustParse("5a0f8c1e-3b7d-4c2a-9e61-0d4f7b2a8c35")

// EventID is the UUID of the event name for player derived from the
// outbox row (topic, key): stable across re-reads and re-sends.
func EventID(topic, key, name, player string) string {
	return uuid.NewSHA1(eventNamespace, []byte(topic+"\x00"+key+"\x00"+name+"\x00"+player)).String()
}
