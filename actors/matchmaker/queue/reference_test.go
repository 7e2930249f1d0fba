package queue_test

import (
	"math"
	"sort"
	"time"

	"github.com/proofstell/proofstell/actors/matchmaker/queue"
)

// formReference is Form as it was before the rating index (main at
// ecb59fe), kept verbatim as the specification the indexed Form must
// reproduce: every anchor, oldest first, scans every younger ticket in age
// order. It is quadratic when tickets cannot pair, which is why it is no
// longer the implementation; the differential tests compare the two.
func formReference(now time.Time, tickets []queue.Ticket, w queue.Window) []queue.Match {
	order := append([]queue.Ticket(nil), tickets...)
	sort.SliceStable(order, func(i, j int) bool {
		if !order[i].EnqueuedAt.Equal(order[j].EnqueuedAt) {
			return order[i].EnqueuedAt.Before(order[j].EnqueuedAt)
		}
		return order[i].ID < order[j].ID
	})
	used := make([]bool, len(order))
	var matches []queue.Match
	for i := range order {
		if used[i] {
			continue
		}
		if group := fillReference(now, order, used, i, w); group != nil {
			for _, k := range group {
				used[k] = true
			}
			matches = append(matches, matchOfReference(order, group))
		}
	}
	return matches
}

func fillReference(now time.Time, order []queue.Ticket, used []bool, anchor int, w queue.Window) []int {
	a := order[anchor]
	seats := a.Wanted - len(a.Players)
	if seats < 0 {
		return nil
	}
	group := []int{anchor}
	for k := anchor + 1; k < len(order) && seats > 0; k++ {
		c := order[k]
		if used[k] || c.Wanted != a.Wanted || len(c.Players) > seats || !fitsReference(now, order, group, c, w) {
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

func fitsReference(now time.Time, order []queue.Ticket, group []int, c queue.Ticket, w queue.Window) bool {
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

func matchOfReference(order []queue.Ticket, group []int) queue.Match {
	m := queue.Match{Tickets: make([]queue.Ticket, len(group))}
	for i, k := range group {
		m.Tickets[i] = order[k]
	}
	return m
}
