package queue

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestForm_ChecksOnlyInsideTheWindows counts the candidates Form checks
// against a group on queues where nothing can pair. The scan it replaced
// checked up to n(n−1)/2 of them (50 million for these 10,000 tickets);
// Form checks the few its probe meets and those the index finds inside
// an anchor's window, here none.
func TestForm_ChecksOnlyInsideTheWindows(t *testing.T) {
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
		{"parties of 3 for 4 seats, same skill", func(int) Ticket {
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
			matches, checks := form(now, tickets, w)
			require.Empty(t, matches)
			require.LessOrEqual(t, checks, probeSpan*n)
		})
	}
}

// TestForm_ChecksFewWhenMostPair: where every ticket has a partner within
// its window, an anchor checks about one candidate.
func TestForm_ChecksFewWhenMostPair(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tickets := make([]Ticket, 1000)
	for i := range tickets {
		tickets[i] = Ticket{ID: fmt.Sprintf("t%04d", i), Players: []string{"p"},
			Rating: float64(i%7) * 0.5, EnqueuedAt: now.Add(-time.Duration(i) * time.Millisecond), Wanted: 2}
	}
	matches, checks := form(now, tickets, Window{Start: 3, PerSecond: 1, Max: 50})
	require.Len(t, matches, 500)
	require.Equal(t, 500, checks)
}
