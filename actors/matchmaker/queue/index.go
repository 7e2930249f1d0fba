package queue

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// ratingIndex orders a pass's free tickets by wanted size, party size
// and rating, cut into shelves (one per wanted and party size), so that
// the tickets inside a rating range are a run of places found by binary
// search; free answers which of them is the oldest still free.
type ratingIndex struct {
	pos     []int     // pos[k]: order[k]'s place in the rating order, −1 if gone before the index was built
	rating  []float64 // rating[place]
	shelves []shelf
	// free holds, per place, the age rank of its ticket while the ticket
	// is free: pass.leave takes the tickets that anchor or match, fill the
	// candidates it is looking at.
	free ageTree
}

// shelf is the run [start, end) of places holding one wanted size and
// one party size: NaN ratings first ([start, rated)), then the others
// ascending ([rated, end)).
type shelf struct {
	wanted, party     int
	start, rated, end int
}

// newRatingIndex indexes the tickets of order that are not gone.
func newRatingIndex(order []Ticket, gone []bool) *ratingIndex {
	type place struct {
		rating float64
		wanted int
		party  int
		k      int
	}
	places := make([]place, 0, len(order))
	for k, t := range order {
		if !gone[k] {
			places = append(places, place{rating: t.Rating, wanted: t.Wanted, party: len(t.Players), k: k})
		}
	}
	// Equal ratings may come in any order: the index answers the oldest
	// of a range whatever the order inside it.
	slices.SortFunc(places, func(a, b place) int {
		switch {
		case a.wanted != b.wanted:
			return cmp.Compare(a.wanted, b.wanted)
		case a.party != b.party:
			return cmp.Compare(a.party, b.party)
		case a.rating < b.rating:
			return -1
		case a.rating > b.rating:
			return 1
		}
		return cmp.Compare(a.rating, b.rating) // equal, or NaN first
	})
	ix := &ratingIndex{pos: make([]int, len(order)), rating: make([]float64, len(places))}
	for k := range ix.pos {
		ix.pos[k] = -1
	}
	rank := make([]int, len(places))
	for at, pl := range places {
		ix.pos[pl.k], ix.rating[at], rank[at] = at, pl.rating, pl.k
		last := len(ix.shelves) - 1
		if last < 0 || pl.wanted != ix.shelves[last].wanted || pl.party != ix.shelves[last].party {
			ix.shelves = append(ix.shelves, shelf{wanted: pl.wanted, party: pl.party, start: at, rated: at})
			last++
		}
		ix.shelves[last].end = at + 1
		if math.IsNaN(pl.rating) {
			ix.shelves[last].rated = at + 1
		}
	}
	ix.free = newAgeTree(rank)
	return ix
}

// fill completes the group anchored at order[anchor] with the rating
// index, starting over from the anchor alone; it returns the group, or
// nil when the seats cannot be filled exactly. The index holds the free
// tickets younger than the anchor (older ones have anchored and left),
// so fill takes the same tickets as the scan of every younger free
// ticket in age order: the index hands out candidates in that order, and
// the ones it leaves out (another wanted size, a party too big for the
// seats left, a rating outside a grouped ticket's window) are ones the
// scan would have skipped, and a skip changes nothing. Candidates left
// outside a match go back into the index.
func (p *pass) fill(anchor int) []int {
	if p.index == nil {
		p.index = newRatingIndex(p.order, p.gone)
	}
	ix, a := p.index, p.order[anchor]
	seats := a.Wanted - len(a.Players)
	group, skipped := append(p.group[:0], anchor), p.skipped[:0]
	lo, hi := p.reach(anchor)
	first := sort.Search(len(ix.shelves), func(j int) bool { return ix.shelves[j].wanted >= a.Wanted })
	for seats > 0 {
		k := ix.oldest(first, a.Wanted, seats, lo, hi)
		if k == none {
			break
		}
		ix.free.take(ix.pos[k])
		if !p.fits(group, k) {
			skipped = append(skipped, k)
			continue
		}
		group = append(group, k)
		seats -= len(p.order[k].Players)
		klo, khi := p.reach(k)
		lo, hi = max(lo, klo), min(hi, khi)
	}
	p.group, p.skipped = group, skipped
	if seats != 0 {
		skipped, group = append(skipped, group[1:]...), nil
	}
	for _, k := range skipped {
		ix.free.put(ix.pos[k], k)
	}
	return group
}

// oldest is the age rank of the oldest free ticket wanting
// wanted seats, of a party of at most seats players, rated in [lo, hi]
// or NaN (a NaN rating fits every window: no comparison with NaN is
// true); none if there is none. Shelves from first on hold wanted sizes
// ≥ wanted.
func (ix *ratingIndex) oldest(first, wanted, seats int, lo, hi float64) int {
	best := none
	for j := first; j < len(ix.shelves) && ix.shelves[j].wanted == wanted && ix.shelves[j].party <= seats; j++ {
		s := ix.shelves[j]
		from := s.rated + countBelow(ix.rating[s.rated:s.end], lo)
		to := s.rated + countAtMost(ix.rating[s.rated:s.end], hi)
		best = min(best, ix.free.oldest(s.start, s.rated), ix.free.oldest(from, to))
	}
	return best
}

// countBelow is how many of the ascending xs are < x.
func countBelow(xs []float64, x float64) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		if mid := int(uint(lo+hi) >> 1); xs[mid] < x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// countAtMost is how many of the ascending xs are ≤ x.
func countAtMost(xs []float64, x float64) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		if mid := int(uint(lo+hi) >> 1); xs[mid] <= x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
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
