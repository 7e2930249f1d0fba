// Package queue holds the matchmaking rules: tickets, the skill window that
// widens with waiting time, and Form, which groups waiting tickets into
// matches. It is pure (no protoactor, no clock of its own): the matchmaker
// grain passes the time in, so the same tickets at the same time always
// form the same matches.
package queue

import (
	"math"
	"sort"
	"time"
)

// Ticket is one queue entry: a solo player or a party that must play in
// the same match.
type Ticket struct {
	ID string
	// Players are the members' player ids (1 for a solo player).
	Players []string
	// Rating is the ticket's skill: the player's, or the party's mean.
	Rating float64
	// EnqueuedAt is when the ticket first joined the queue; a re-queue
	// (failover) keeps it, so the ticket keeps its age and its window.
	EnqueuedAt time.Time
	// Wanted is the match size the ticket asked for (2..8); only tickets
	// that want the same size are grouped.
	Wanted int
}

// Window is the skill window curve: a ticket that has waited w accepts
// opponents whose rating is within Start + PerSecond·w (at most Max) of
// its own.
type Window struct {
	Start     float64
	PerSecond float64
	Max       float64
}

// At is the window's width after waiting waited (a negative wait, a clock
// that went back, counts as none).
func (w Window) At(waited time.Duration) float64 {
	width := w.Start + w.PerSecond*max(waited, 0).Seconds()
	return math.Min(width, w.Max)
}

// Match is one formed match: its tickets, oldest first.
type Match struct {
	Tickets []Ticket
}

// Players lists every player of the match, in ticket order.
func (m Match) Players() []string {
	var ids []string
	for _, t := range m.Tickets {
		ids = append(ids, t.Players...)
	}
	return ids
}

// Form groups tickets into matches at now. Tickets are taken oldest first
// (ties by id): each one still free anchors a match and takes, oldest
// first, every free ticket of the same wanted size that fits the seats
// left and whose rating is within the window of every ticket already in
// the group, and of its own (both sides must accept each other, so a
// fresh ticket is not thrown against a far opponent just because that one
// has waited long). A group that fills exactly its wanted seats is a
// match; a group that cannot leaves its tickets waiting. The result is
// deterministic and ordered by anchor age.
func Form(now time.Time, tickets []Ticket, w Window) []Match {
	order := append([]Ticket(nil), tickets...)
	sort.SliceStable(order, func(i, j int) bool {
		if !order[i].EnqueuedAt.Equal(order[j].EnqueuedAt) {
			return order[i].EnqueuedAt.Before(order[j].EnqueuedAt)
		}
		return order[i].ID < order[j].ID
	})
	used := make([]bool, len(order))
	var matches []Match
	for i := range order {
		if used[i] {
			continue
		}
		if group := fill(now, order, used, i, w); group != nil {
			for _, k := range group {
				used[k] = true
			}
			matches = append(matches, matchOf(order, group))
		}
	}
	return matches
}

// fill tries to complete a match anchored at order[anchor]; it returns the
// indexes of the group, or nil when the seats cannot be filled exactly.
func fill(now time.Time, order []Ticket, used []bool, anchor int, w Window) []int {
	a := order[anchor]
	seats := a.Wanted - len(a.Players)
	if seats < 0 {
		return nil
	}
	group := []int{anchor}
	for k := anchor + 1; k < len(order) && seats > 0; k++ {
		c := order[k]
		if used[k] || c.Wanted != a.Wanted || len(c.Players) > seats || !fits(now, order, group, c, w) {
			continue
		}
		group = append(group, k)
		seats -= len(c.Players)
	}
	if seats != 0 {
		return nil
	}
	return group
}

// fits reports whether c and every ticket of the group accept each other.
func fits(now time.Time, order []Ticket, group []int, c Ticket, w Window) bool {
	cw := w.At(now.Sub(c.EnqueuedAt))
	for _, k := range group {
		g := order[k]
		gap := math.Abs(g.Rating - c.Rating)
		if gap > cw || gap > w.At(now.Sub(g.EnqueuedAt)) {
			return false
		}
	}
	return true
}

func matchOf(order []Ticket, group []int) Match {
	m := Match{Tickets: make([]Ticket, len(group))}
	for i, k := range group {
		m.Tickets[i] = order[k]
	}
	return m
}

// Mean is a party's rating: the mean of its members' (0 for none).
func Mean(ratings []float64) float64 {
	if len(ratings) == 0 {
		return 0
	}
	sum := 0.0
	for _, r := range ratings {
		sum += r
	}
	return sum / float64(len(ratings))
}

// Percentile returns the p-th percentile (0..1, nearest rank) of waits;
// 0 for none. It sorts waits in place.
func Percentile(waits []time.Duration, p float64) time.Duration {
	if len(waits) == 0 {
		return 0
	}
	sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
	rank := int(math.Ceil(p*float64(len(waits)))) - 1
	return waits[min(max(rank, 0), len(waits)-1)]
}
