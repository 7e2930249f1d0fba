package queue

import (
	"cmp"
	"math"
	"slices"
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
// Form does not scan every younger ticket for each anchor (n²/2 checks
// when nothing pairs): a rating index (see pass) hands the anchor, oldest
// first, only the free tickets of its wanted size, of a party that fits
// the seats left, and whose rating lies inside the window of every ticket
// already grouped. A ticket the index leaves out is one the scan would
// have skipped, and skipping changes nothing, so the groups are the same;
// a pass costs O(n log n) plus O(log n) per ticket an anchor looks at.
func Form(now time.Time, tickets []Ticket, w Window) []Match {
	matches, _ := form(now, tickets, w)
	return matches
}

// form is Form that also counts the candidates its anchors looked at.
func form(now time.Time, tickets []Ticket, w Window) (matches []Match, looked int) {
	order := append([]Ticket(nil), tickets...)
	sort.SliceStable(order, func(i, j int) bool {
		if !order[i].EnqueuedAt.Equal(order[j].EnqueuedAt) {
			return order[i].EnqueuedAt.Before(order[j].EnqueuedAt)
		}
		return order[i].ID < order[j].ID
	})
	p := newPass(now, order, w)
	used := make([]bool, len(order))
	for i := range order {
		if used[i] {
			continue
		}
		// Later anchors only look at younger tickets, so i leaves the
		// index whether or not it forms a match.
		p.free.take(p.pos[i])
		if group := p.fill(i); group != nil {
			for _, k := range group {
				used[k] = true
			}
			matches = append(matches, matchOf(order, group))
		}
	}
	return matches, p.looked
}

// pass is one Form call's index of the tickets (identified by their rank
// k in the age order) by wanted size, party size and rating. The rating
// order is cut into shelves, one per (wanted, party) pair, each sorted by
// rating; free holds, per rating position, the age rank of the ticket
// there while it is still free and younger than the current anchor, so
// the oldest free ticket inside any rating range is one query.
type pass struct {
	order   []Ticket
	width   []float64 // width[k]: order[k]'s window at now
	pos     []int     // pos[k]: order[k]'s place in the rating order
	rating  []float64 // rating[p]: the rating at place p of the rating order
	shelves []shelf
	free    ageTree
	looked  int // candidates handed to anchors
}

// shelf is the run [start, end) of the rating order holding one wanted
// size and one party size: NaN ratings first ([start, rated)), the others
// ascending ([rated, end)).
type shelf struct {
	wanted, party     int
	start, rated, end int
}

func newPass(now time.Time, order []Ticket, w Window) *pass {
	n := len(order)
	p := &pass{order: order, width: make([]float64, n), pos: make([]int, n), rating: make([]float64, n)}
	byRating := make([]int, n)
	for k, t := range order {
		p.width[k] = w.At(now.Sub(t.EnqueuedAt))
		byRating[k] = k
	}
	slices.SortFunc(byRating, func(x, y int) int {
		a, b := &order[x], &order[y]
		return cmp.Or(cmp.Compare(a.Wanted, b.Wanted), cmp.Compare(len(a.Players), len(b.Players)),
			cmp.Compare(a.Rating, b.Rating), cmp.Compare(x, y)) // cmp.Compare puts NaN first
	})
	for at, k := range byRating {
		p.pos[k], p.rating[at] = at, order[k].Rating
		t := &order[k]
		if at == 0 || t.Wanted != p.shelves[len(p.shelves)-1].wanted || len(t.Players) != p.shelves[len(p.shelves)-1].party {
			p.shelves = append(p.shelves, shelf{wanted: t.Wanted, party: len(t.Players), start: at, rated: at})
		}
		s := &p.shelves[len(p.shelves)-1]
		s.end = at + 1
		if math.IsNaN(t.Rating) {
			s.rated = at + 1
		}
	}
	p.free = newAgeTree(byRating)
	return p
}

// fill tries to complete a match anchored at order[anchor], which has
// left the index; it returns the age ranks of the group, or nil when the
// seats cannot be filled exactly. It takes the same tickets as a scan of
// every younger free ticket in age order would: the candidates come in
// that order, and the ones left out (another wanted size, a party too big
// for the seats left, a rating outside a grouped ticket's window) would
// fail the scan's checks, whose failures change nothing. Candidates that
// end up outside a match go back into the index.
func (p *pass) fill(anchor int) []int {
	a := p.order[anchor]
	seats := a.Wanted - len(a.Players)
	if seats < 0 {
		return nil
	}
	group, skipped := []int{anchor}, []int(nil)
	lo, hi := p.reach(anchor)
	first := sort.Search(len(p.shelves), func(j int) bool { return p.shelves[j].wanted >= a.Wanted })
	for seats > 0 {
		k := p.oldest(first, a.Wanted, seats, lo, hi)
		if k == none {
			break
		}
		p.looked++
		p.free.take(p.pos[k])
		if !p.fits(group, k) {
			skipped = append(skipped, k)
			continue
		}
		group = append(group, k)
		seats -= len(p.order[k].Players)
		klo, khi := p.reach(k)
		lo, hi = max(lo, klo), min(hi, khi)
	}
	if seats != 0 {
		skipped, group = append(skipped, group[1:]...), nil
	}
	for _, k := range skipped {
		p.free.put(p.pos[k], k)
	}
	return group
}

// oldest is the age rank of the oldest free ticket wanting wanted seats,
// of a party of at most seats players, rated in [lo, hi] or NaN (a NaN
// rating fits every window: no comparison with NaN is true); none if
// there is none. Shelves from first on hold wanted sizes ≥ wanted.
func (p *pass) oldest(first, wanted, seats int, lo, hi float64) int {
	best := none
	for j := first; j < len(p.shelves) && p.shelves[j].wanted == wanted && p.shelves[j].party <= seats; j++ {
		s := p.shelves[j]
		rated := p.rating[s.rated:s.end]
		from := s.rated + sort.SearchFloat64s(rated, lo)
		to := s.rated + sort.Search(len(rated), func(i int) bool { return rated[i] > hi })
		best = min(best, p.free.oldest(s.start, s.rated), p.free.oldest(from, to))
	}
	return best
}

// reachSlack widens reach's bounds, relative to the numbers involved, far
// beyond the rounding of a subtraction (2⁻⁵³), so that a rating fits
// accepts is never outside them.
const reachSlack = 1e-9

// reach bounds the ratings order[k] accepts: every rating c for which
// fits's test |r − c| > width is false lies in [lo, hi] or is NaN. The
// bounds only have to contain those ratings (fits still decides), so they
// err wide; when they cannot be computed (a NaN or infinite rating or
// window) they are the whole line.
func (p *pass) reach(k int) (lo, hi float64) {
	r, width := p.order[k].Rating, p.width[k]
	slack := (math.Abs(r) + math.Abs(width)) * reachSlack
	lo, hi = r-width-slack, r+width+slack
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return math.Inf(-1), math.Inf(1)
	}
	return lo, hi
}

// fits reports whether order[k] and every ticket of the group accept
// each other.
func (p *pass) fits(group []int, k int) bool {
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
