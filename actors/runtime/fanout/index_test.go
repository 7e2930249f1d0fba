package fanout

import (
	"log/slog"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/protos"
)

// countingSocket counts the broadcasts delivered to it.
type countingSocket struct{ n *int }

func (s countingSocket) Deliver(*Broadcast) bool { *s.n++; return true }

// TestHub_LargeTopicStaysConsistent: a topic every socket subscribes to
// (the everyone topic) is indexed past indexFrom subscribers; through
// random subscribes, re-subscribes and unsubscribes around the threshold,
// a broadcast reaches exactly the current subscribers, once each.
func TestHub_LargeTopicStaysConsistent(t *testing.T) {
	t.Parallel()
	h := NewHub(nil, 1, slog.New(slog.DiscardHandler))
	rng := rand.New(rand.NewPCG(3, 5))
	const pids = 4 * indexFrom
	counts := make([]int, pids)
	subscribed := map[int]bool{}
	pid := func(i int) *actor.PID { return actor.NewPID("node", "p"+strconv.Itoa(i)) }
	for step := range 5000 {
		i := rng.IntN(pids)
		switch {
		case rng.IntN(3) > 0 || step < 2*indexFrom: // grow first, then churn
			h.Subscribe("players", pid(i), countingSocket{&counts[i]})
			subscribed[i] = true
		case rng.IntN(2) == 0:
			h.Unsubscribe("players", pid(i))
			delete(subscribed, i)
		default:
			h.UnsubscribeAll(pid(i))
			delete(subscribed, i)
		}
		if step%97 == 0 {
			before := slices(counts)
			h.broadcast(&Broadcast{Topic: "players", Event: &protos.ClientEvent{Type: "x"}})
			for j := range counts {
				want := before[j]
				if subscribed[j] {
					want++
				}
				require.Equal(t, want, counts[j], "step %d, pid %d", step, j)
			}
		}
		requireIndexed(t, h, "players")
	}
}

func slices(c []int) []int { return append([]int(nil), c...) }

// requireIndexed checks a topic's index matches its subscribers.
func requireIndexed(t *testing.T, h *Hub, topic string) {
	t.Helper()
	subs, pos := h.topics[topic], h.positions[topic]
	if pos == nil {
		require.Less(t, len(subs), indexFrom, "a large topic is indexed")
		return
	}
	require.Len(t, pos, len(subs))
	for i, sub := range subs {
		require.Equal(t, i, pos[sub.key])
	}
}

// BenchmarkHub_SubscribeUnsubscribeLargeTopic: a connect and a disconnect
// on a node holding 100,000 sockets on the everyone topic.
func BenchmarkHub_SubscribeUnsubscribeLargeTopic(b *testing.B) {
	h := NewHub(nil, 1, slog.New(slog.DiscardHandler))
	var n int
	for i := range 100_000 {
		h.Subscribe("players", actor.NewPID("node", "p"+strconv.Itoa(i)), countingSocket{&n})
	}
	pid := actor.NewPID("node", "newcomer")
	b.ResetTimer()
	for range b.N {
		h.Subscribe("players", pid, countingSocket{&n})
		h.Unsubscribe("players", pid)
	}
}
