package standings

// At returns the entry at a 1-based rank.
func (ix *Index) At(rank int) (Entry, bool) {
	n := ix.nodeAt(rank)
	if n == nil {
		return Entry{}, false
	}
	return n.entry, true
}

// Range returns up to n entries starting at fromRank (clamped to 1).
func (ix *Index) Range(fromRank, n int) []Ranked {
	fromRank = max(fromRank, 1)
	return ix.collect(ix.nodeAt(fromRank), fromRank, n)
}

// Top returns the first n entries.
func (ix *Index) Top(n int) []Ranked { return ix.Range(1, n) }

// After returns up to n entries strictly after key in rank order. key need
// not be on the board (the player may have improved since the cursor was
// issued), so pages never repeat or skip an entry that did not move.
func (ix *Index) After(key Entry, n int) []Ranked {
	rank, x := ix.seek(key)
	return ix.collect(x.levels[0].next, rank+1, n)
}

// Around returns the player's neighbourhood: ranks rank-radius through
// rank+radius, clipped at the ends of the board (the window is not shifted,
// so a leader sees radius entries below and none above). A negative radius
// counts as 0.
func (ix *Index) Around(playerID string, radius int) []Ranked {
	n, ok := ix.byPlayer[playerID]
	if !ok {
		return nil
	}
	rank, _ := ix.seek(n.entry)
	radius = max(radius, 0)
	from := rank
	for from > 1 && rank-from < radius {
		n = n.prev
		from--
	}
	return ix.collect(n, from, rank+radius-from+1)
}

// nodeAt finds the node at a 1-based rank in O(log n) by summing spans.
func (ix *Index) nodeAt(rank int) *node {
	if rank < 1 || rank > ix.length {
		return nil
	}
	traversed, x := 0, ix.head
	for i := ix.level - 1; i >= 0; i-- {
		for x.levels[i].next != nil && traversed+x.levels[i].span <= rank {
			traversed += x.levels[i].span
			x = x.levels[i].next
		}
		if traversed == rank {
			return x
		}
	}
	return nil
}

// collect walks level 0 from start (at rank) for up to n entries. The result
// is sized by what remains, never by n alone, since n may come from a client.
func (ix *Index) collect(start *node, rank, n int) []Ranked {
	n = min(n, ix.length-rank+1)
	if start == nil || n <= 0 {
		return nil
	}
	out := make([]Ranked, 0, n)
	for x := start; x != nil && len(out) < n; x = x.levels[0].next {
		out = append(out, Ranked{Rank: rank, Entry: x.entry})
		rank++
	}
	return out
}
