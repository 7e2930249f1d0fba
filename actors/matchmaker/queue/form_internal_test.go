package queue

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestForm_LooksOnlyInsideTheWindows counts the candidates Form hands its
// anchors on queues where nothing can pair. The scan it replaced looked at
// n(n−1)/2 of them (50 million for 10,000 tickets, 0.6 s); the index looks
// at the tickets inside an anchor's window only, here none.
func TestForm_LooksOnlyInsideTheWindows(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	w := Window{Start: 3, PerSecond: 1, Max: 50}
	const n = 10_000
	for _, tc := range []struct {
		name   string
		ticket func(i int) Ticket
	}{
		{"skills 10 points apart", func(i int) Ticket {
			return Ticket{Players: []string{"p"}, Rating: float64(i) * 10, Wanted: 2}
		}},
		{"parties of 3 for 4 seats, same skill", func(i int) Ticket {
			return Ticket{Players: []string{"a", "b", "c"}, Rating: 10, Wanted: 4}
		}},
		{"one of each wanted size, same skill", func(i int) Ticket {
			return Ticket{Players: []string{"p"}, Rating: 10, Wanted: 2 + i}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tickets := make([]Ticket, n)
			for i := range tickets {
				tickets[i] = tc.ticket(i)
				tickets[i].ID = fmt.Sprintf("t%05d", i)
				tickets[i].EnqueuedAt = now.Add(-time.Duration(n-i) * time.Microsecond)
			}
			matches, looked := form(now, tickets, w)
			require.Empty(t, matches)
			require.Zero(t, looked)
		})
	}
}

// TestForm_LooksAtFewWhenMostPair: in the benchmark's realistic queue
// (2-player tickets a millisecond apart, ratings ±3 of each other mostly
// pairing) an anchor looks at about one candidate, where the scan looked
// at every younger ticket up to its partner.
func TestForm_LooksAtFewWhenMostPair(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tickets := make([]Ticket, 1000)
	for i := range tickets {
		tickets[i] = Ticket{ID: fmt.Sprintf("t%04d", i), Players: []string{"p"},
			Rating: float64(i%7) * 0.5, EnqueuedAt: now.Add(-time.Duration(i) * time.Millisecond), Wanted: 2}
	}
	matches, looked := form(now, tickets, Window{Start: 3, PerSecond: 1, Max: 50})
	require.Len(t, matches, 500)
	require.Equal(t, 500, looked)
}
