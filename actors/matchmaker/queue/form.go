package queue

import (
	"math"
	"sort"
	"time"
)

// Form groups tickets into matches at now. Tickets are taken oldest first
// (ties by id): each one still free anchors a match and takes, oldest
// first, every free ticket of the same wanted size that fits the seats
// left and whose rating is within the window of every ticket already in
// the group, and of its own (both sides must accept each other, so a
// fresh ticket is not thrown against a far opponent just because that one
// has waited long). A group that fills exactly its wanted seats is a
// match; a group that cannot leaves its tickets waiting. The result is
// deterministic and ordered by anchor age.
//
// The rule reads as a scan of every younger ticket per anchor, which is
// n²/2 checks when nothing pairs. Form runs that scan over the next
// probeSpan tickets only, where an anchor of a queue that pairs finds its
// group; when the group is still open there, it starts the anchor over
// with a rating index (see ratingIndex) that hands it, oldest first, only
// the free tickets of its wanted size, of a party that fits the seats
// left, and inside the window of every ticket already grouped. A ticket
// the index leaves out is one the scan would have skipped, and a skip
// changes nothing, so both give the same groups. A pass costs O(n log n)
// plus O(log n) per ticket the index hands out.
func Form(now time.Time, tickets []Ticket, w Window) []Match {
	matches, _ := form(now, tickets, w)
	return matches
}

// probeSpan is how many younger tickets, free or not, an anchor scans in
// age order before it turns to the rating index. In a queue that pairs
// the partner is a few places away; a longer probe only adds to the cost
// of queues that do not pair.
const probeSpan = 8

// pass is the state of one Form call. Tickets are named by their rank k
// in the age order.
type pass struct {
	order []Ticket
	width []float64 // width[k]: order[k]'s window at now
	// gone[k]: order[k] is matched or has anchored already, so no anchor
	// may take it (anchors only look at younger tickets).
	gone   []bool
	index  *ratingIndex // built for the first anchor that needs it
	checks int          // candidates checked against a group (fits calls)
	// group and skipped are the current anchor's, reused from one anchor
	// to the next (a group is read before the next anchor starts).
	group, skipped []int
}

// form is Form that also counts the candidates it checked.
func form(now time.Time, tickets []Ticket, w Window) (matches []Match, checks int) {
	order := append([]Ticket(nil), tickets...)
	sort.SliceStable(order, func(i, j int) bool {
		if !order[i].EnqueuedAt.Equal(order[j].EnqueuedAt) {
			return order[i].EnqueuedAt.Before(order[j].EnqueuedAt)
		}
		return order[i].ID < order[j].ID
	})
	p := &pass{order: order, width: make([]float64, len(order)), gone: make([]bool, len(order))}
	for k, t := range order {
		p.width[k] = w.At(now.Sub(t.EnqueuedAt))
	}
	for i := range order {
		if p.gone[i] {
			continue
		}
		p.leave(i) // later anchors only look at younger tickets
		group, decided := p.probe(i)
		if !decided {
			group = p.fill(i)
		}
		for _, k := range group {
			p.leave(k)
		}
		if group != nil {
			matches = append(matches, matchOf(order, group))
		}
	}
	return matches, p.checks
}

// leave marks order[k] gone and takes it out of the index, if built.
func (p *pass) leave(k int) {
	p.gone[k] = true
	if p.index != nil && p.index.pos[k] >= 0 {
		p.index.free.take(p.index.pos[k])
	}
}

// probe runs the plain scan for the group anchored at order[anchor] over
// the next probeSpan places. It is decided (the group, or nil when the
// seats cannot be filled exactly) when the seats are filled or the scan
// reached the end of the queue: the full scan would have answered the
// same. Otherwise the rest of the queue would have to be scanned.
func (p *pass) probe(anchor int) (group []int, decided bool) {
	a := p.order[anchor]
	seats := a.Wanted - len(a.Players)
	if seats < 0 {
		return nil, true
	}
	group = append(p.group[:0], anchor)
	end := min(anchor+1+probeSpan, len(p.order))
	for k := anchor + 1; k < end && seats > 0; k++ {
		c := &p.order[k]
		if p.gone[k] || c.Wanted != a.Wanted || len(c.Players) > seats || !p.fits(group, k) {
			continue
		}
		group = append(group, k)
		seats -= len(c.Players)
	}
	p.group = group
	switch {
	case seats == 0:
		return group, true
	case end == len(p.order):
		return nil, true
	default:
		return nil, false
	}
}

// fits reports whether order[k] and every ticket of the group accept
// each other.
func (p *pass) fits(group []int, k int) bool {
	p.checks++
	c, cw := p.order[k].Rating, p.width[k]
	for _, g := range group {
		gap := math.Abs(p.order[g].Rating - c)
		if gap > cw || gap > p.width[g] {
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
