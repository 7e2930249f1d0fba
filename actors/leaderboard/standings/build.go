package standings

import "slices"

// BuildIndex returns an index holding entries as if each had been offered
// in order (per player the best entry wins: the highest score, reached
// first), built in O(n log n) by one sort and one linear linking pass
// instead of n searches: an activation with a million players rebuilds
// several times faster.
func BuildIndex(seed uint64, entries []Entry) *Index {
	ix := NewIndex(seed)
	best := make(map[string]int, len(entries)) // player → position in entries
	for i, e := range entries {
		if e.PlayerID == "" {
			continue
		}
		if j, ok := best[e.PlayerID]; !ok || Compare(e, entries[j]) < 0 {
			best[e.PlayerID] = i
		}
	}
	sorted := make([]Entry, 0, len(best))
	for _, i := range best {
		sorted = append(sorted, entries[i])
	}
	slices.SortFunc(sorted, Compare)
	ix.link(sorted)
	return ix
}

// link appends sorted entries to an empty index, keeping per level the last
// node and its rank so every span is a subtraction.
func (ix *Index) link(sorted []Entry) {
	var last [maxLevel]*node
	var lastRank [maxLevel]int
	for i := range last {
		last[i] = ix.head
	}
	var prev *node
	for r, e := range sorted {
		rank := r + 1
		n := newNode(e, ix.randomLevel())
		for i := range n.levels {
			last[i].levels[i] = level{next: n, span: rank - lastRank[i]}
			last[i], lastRank[i] = n, rank
		}
		n.prev = prev
		prev = n
		ix.level = max(ix.level, len(n.levels))
		ix.byPlayer[e.PlayerID] = n
	}
	ix.length = len(sorted)
	// A trailing pointer's span runs to the end of the list, the convention
	// insert and remove rely on.
	for i := 0; i < maxLevel; i++ {
		last[i].levels[i].span = ix.length - lastRank[i]
	}
}
