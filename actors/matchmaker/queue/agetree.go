package queue

import "math"

// none is an empty place of an ageTree, and the oldest of nothing: it is
// younger than every age rank.
const none = math.MaxInt

// ageTree finds the oldest free ticket among a range of places of the
// rating order: a minimum segment tree (bottom-up, any size) whose leaves
// hold the age rank of the ticket at each place, or none once it is
// taken. Each operation is O(log n).
type ageTree struct {
	n    int
	node []int // node[n+place] is a leaf; node[i] = min(node[2i], node[2i+1])
}

// newAgeTree holds rank[place] at every place.
func newAgeTree(rank []int) ageTree {
	n := len(rank)
	t := ageTree{n: n, node: make([]int, 2*n)}
	copy(t.node[n:], rank)
	for i := n - 1; i > 0; i-- {
		t.node[i] = min(t.node[2*i], t.node[2*i+1])
	}
	return t
}

// take empties place.
func (t ageTree) take(place int) { t.put(place, none) }

// put holds rank at place.
func (t ageTree) put(place, rank int) {
	i := place + t.n
	t.node[i] = rank
	for i > 1 {
		i /= 2
		m := min(t.node[2*i], t.node[2*i+1])
		if t.node[i] == m {
			return // the ancestors hold what they held
		}
		t.node[i] = m
	}
}

// oldest is the smallest rank held in places [from, to), none if empty.
func (t ageTree) oldest(from, to int) int {
	best := none
	for l, r := from+t.n, to+t.n; l < r; l, r = l/2, r/2 {
		if l%2 == 1 {
			best = min(best, t.node[l])
			l++
		}
		if r%2 == 1 {
			r--
			best = min(best, t.node[r])
		}
	}
	return best
}
