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
