package queue_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/matchmaker/queue"
)

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func ticket(id string, rating float64, agoS int, wanted int, players ...string) queue.Ticket {
	if len(players) == 0 {
		players = []string{id}
	}
	return queue.Ticket{ID: id, Players: players, Rating: rating, EnqueuedAt: t0.Add(-time.Duration(agoS) * time.Second), Wanted: wanted}
}

func TestWindow_At(t *testing.T) {
	t.Parallel()
	w := queue.Window{Start: 3, PerSecond: 1, Max: 10}
	for _, tc := range []struct {
		name   string
		waited time.Duration
		want   float64
	}{
		{"fresh", 0, 3},
		{"after 2 s", 2 * time.Second, 5},
		{"capped", time.Minute, 10},
		{"clock went back", -time.Second, 3},
	} {
		require.InDelta(t, tc.want, w.At(tc.waited), 1e-9, tc.name)
	}
}

func TestForm(t *testing.T) {
	t.Parallel()
	w := queue.Window{Start: 3, PerSecond: 1, Max: 50}
	for _, tc := range []struct {
		name    string
		tickets []queue.Ticket
		want    [][]string // ticket ids per match
	}{
		{"nobody", nil, nil},
		{"one waits alone", []queue.Ticket{ticket("a", 0, 0, 2)}, nil},
		{"two close ones pair", []queue.Ticket{ticket("a", 0, 1, 2), ticket("b", 2, 0, 2)}, [][]string{{"a", "b"}}},
		{"far ones wait", []queue.Ticket{ticket("a", 0, 0, 2), ticket("b", 20, 0, 2)}, nil},
		{"pair by skill, not by arrival", []queue.Ticket{
			ticket("a", 0, 4, 2), ticket("b", 100, 3, 2), ticket("c", 2, 2, 2), ticket("d", 101, 1, 2),
		}, [][]string{{"a", "c"}, {"b", "d"}}},
		{"the window widens with waiting", []queue.Ticket{ticket("a", 0, 20, 2), ticket("b", 20, 20, 2)}, [][]string{{"a", "b"}}},
		{"both sides must accept: a fresh ticket refuses a far old one", []queue.Ticket{
			ticket("old", 0, 40, 2), ticket("new", 20, 0, 2),
		}, nil},
		{"only the same wanted size groups", []queue.Ticket{ticket("a", 0, 2, 2), ticket("b", 0, 1, 4)}, nil},
		{"exact seats: a party fills a 4-player match", []queue.Ticket{
			ticket("p", 0, 3, 4, "x", "y"), ticket("a", 1, 2, 4), ticket("b", 1, 1, 4),
		}, [][]string{{"p", "a", "b"}}},
		{"a party too big for the seats left is skipped", []queue.Ticket{
			ticket("a", 0, 3, 4), ticket("b", 0, 2, 4), ticket("c", 0, 2, 4), ticket("p", 0, 1, 4, "x", "y"), ticket("d", 0, 0, 4),
		}, [][]string{{"a", "b", "c", "d"}}},
		{"oldest first: the third waits", []queue.Ticket{ticket("c", 0, 1, 2), ticket("a", 0, 3, 2), ticket("b", 0, 2, 2)}, [][]string{{"a", "b"}}},
		{"same age: ties by id", []queue.Ticket{ticket("b", 0, 1, 2), ticket("a", 0, 1, 2), ticket("c", 0, 1, 2)}, [][]string{{"a", "b"}}},
		{"group must fit pairwise", []queue.Ticket{
			ticket("a", 0, 0, 3), ticket("b", 3, 0, 3), ticket("c", 6, 0, 3), ticket("d", 1, 0, 3),
		}, [][]string{{"a", "b", "d"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := queue.Form(t0, tc.tickets, w)
			var ids [][]string
			for _, m := range got {
				var g []string
				for _, tk := range m.Tickets {
					g = append(g, tk.ID)
				}
				ids = append(ids, g)
			}
			require.Equal(t, tc.want, ids)
		})
	}
}

func TestForm_Deterministic(t *testing.T) {
	t.Parallel()
	w := queue.Window{Start: 3, PerSecond: 1, Max: 50}
	in := []queue.Ticket{ticket("a", 0, 4, 2), ticket("b", 100, 3, 2), ticket("c", 2, 2, 2), ticket("d", 101, 1, 2)}
	rev := []queue.Ticket{in[3], in[2], in[1], in[0]}
	require.Equal(t, queue.Form(t0, in, w), queue.Form(t0, rev, w))
}

func TestMatch_Players(t *testing.T) {
	t.Parallel()
	m := queue.Match{Tickets: []queue.Ticket{ticket("p", 0, 0, 4, "x", "y"), ticket("a", 0, 0, 4)}}
	require.Equal(t, []string{"x", "y", "a"}, m.Players())
}

func TestMean(t *testing.T) {
	t.Parallel()
	require.InDelta(t, 0.0, queue.Mean(nil), 1e-9)
	require.InDelta(t, 15.0, queue.Mean([]float64{10, 20}), 1e-9)
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	s := time.Second
	for _, tc := range []struct {
		waits []time.Duration
		p     float64
		want  time.Duration
	}{
		{nil, 0.5, 0},
		{[]time.Duration{3 * s}, 0.95, 3 * s},
		{[]time.Duration{4 * s, 1 * s, 3 * s, 2 * s}, 0.5, 2 * s},
		{[]time.Duration{4 * s, 1 * s, 3 * s, 2 * s}, 0.95, 4 * s},
	} {
		require.Equal(t, tc.want, queue.Percentile(tc.waits, tc.p))
	}
}
