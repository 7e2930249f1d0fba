package contracttest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// NewBus returns a fresh bus of its own namespace, closed at cleanup.
type NewBus func(t *testing.T) persistence.Bus

// Bus proves persistence.Bus: prefix matching, literal prefixes, payloads
// intact and one publisher's order kept.
func Bus(t *testing.T, newBus NewBus) {
	t.Helper()
	tests := []struct {
		name      string
		subscribe string
		publish   []string // topics published before the sentinel
		want      []string // topics delivered, in order, sentinel excluded
	}{
		{name: "prefix match", subscribe: "events:", publish: []string{"events:game:1", "other:x", "events:leaderboard:daily"},
			want: []string{"events:game:1", "events:leaderboard:daily"}},
		{name: "empty prefix gets all", subscribe: "", publish: []string{"a", "b:c"}, want: []string{"a", "b:c"}},
		{name: "glob characters are literal", subscribe: "a*", publish: []string{"ab", "a*b", "a?"},
			want: []string{"a*b"}},
		{name: "order of one publisher", subscribe: "q:", publish: []string{"q:1", "q:2", "q:3", "q:4", "q:5"},
			want: []string{"q:1", "q:2", "q:3", "q:4", "q:5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := newBus(t)
			box := &Inbox{}
			require.NoError(t, b.Subscribe(t.Context(), tt.subscribe, box.Deliver))
			for _, topic := range tt.publish {
				require.NoError(t, b.Publish(t.Context(), topic, []byte("p:"+topic)))
			}
			// One publisher's messages arrive in order, so once the
			// sentinel arrives everything before it has been delivered.
			sentinel := tt.subscribe + "sentinel"
			require.NoError(t, b.Publish(t.Context(), sentinel, []byte("end")))
			box.WaitFor(t, sentinel)
			var got []string
			for _, m := range box.All() {
				if m.Topic == sentinel {
					continue
				}
				require.Equal(t, "p:"+m.Topic, m.Payload)
				got = append(got, m.Topic)
			}
			require.Equal(t, tt.want, got)
		})
	}
	t.Run("every subscriber gets a copy", func(t *testing.T) {
		t.Parallel()
		b := newBus(t)
		one, two := &Inbox{}, &Inbox{}
		require.NoError(t, b.Subscribe(t.Context(), "events:", one.Deliver))
		require.NoError(t, b.Subscribe(t.Context(), "events:game", two.Deliver))
		payload := []byte("x")
		require.NoError(t, b.Publish(t.Context(), "events:game:1", payload))
		payload[0] = 'y' // the publisher's buffer is its own again once Publish returns
		one.WaitFor(t, "events:game:1")
		two.WaitFor(t, "events:game:1")
		require.Equal(t, []Delivered{{"events:game:1", "x"}}, one.All())
		require.Equal(t, []Delivered{{"events:game:1", "x"}}, two.All())
	})
}

// Inbox collects delivered messages for assertions.
type Inbox struct {
	mu   sync.Mutex
	msgs []Delivered
}

// Delivered is one message an Inbox received.
type Delivered struct {
	Topic   string
	Payload string
}

// Deliver is the Subscribe callback.
func (b *Inbox) Deliver(topic string, payload []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, Delivered{topic, string(payload)})
}

// All returns what arrived so far, in order.
func (b *Inbox) All() []Delivered {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Delivered(nil), b.msgs...)
}

// Has reports whether topic arrived.
func (b *Inbox) Has(topic string) bool {
	for _, m := range b.All() {
		if m.Topic == topic {
			return true
		}
	}
	return false
}

// WaitFor polls until topic arrives: delivery is asynchronous on both
// engines (a goroutine per subscription).
func (b *Inbox) WaitFor(t testing.TB, topic string) {
	t.Helper()
	require.Eventually(t, func() bool { return b.Has(topic) }, 5*time.Second, 2*time.Millisecond,
		"topic %q never arrived; got %v", topic, b.All())
}
