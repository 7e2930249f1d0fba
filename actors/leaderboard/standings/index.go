package standings

import "math/bits"

// maxLevel bounds the skiplist height; with p = 1/4 it covers far more than
// 2^32 entries.
const maxLevel = 32

// level is one forward pointer of a node. span counts the level-0 steps it
// skips, which is what turns a skiplist into an order-statistic structure:
// summing spans along a search path gives the rank.
type level struct {
	next *node
	span int
}

type node struct {
	entry  Entry
	prev   *node // level-0 predecessor (nil for the first), for Around
	levels []level
}

// Nodes of the common heights carry their levels inline, so a node is one
// allocation and a search step touches one memory block, not two: the
// index is bound by cache misses at a million players.
type (
	node1 struct {
		node
		inline [1]level
	}
	node2 struct {
		node
		inline [2]level
	}
	node3 struct {
		node
		inline [3]level
	}
	node4 struct {
		node
		inline [4]level
	}
)

// newNode allocates a node of height lvl.
func newNode(e Entry, lvl int) *node {
	switch lvl {
	case 1:
		n := &node1{node: node{entry: e}}
		n.levels = n.inline[:]
		return &n.node
	case 2:
		n := &node2{node: node{entry: e}}
		n.levels = n.inline[:]
		return &n.node
	case 3:
		n := &node3{node: node{entry: e}}
		n.levels = n.inline[:]
		return &n.node
	case 4:
		n := &node4{node: node{entry: e}}
		n.levels = n.inline[:]
		return &n.node
	}
	return &node{entry: e, levels: make([]level, lvl)}
}

// Index is an order-statistic skiplist of standings, one entry per player.
// Rank lookups, positional access and updates are O(log n) expected. It is
// not safe for concurrent use: the leaderboard grain owns it and is its only
// writer; queries do not modify it, so other readers may share it under a
// lock the writer takes (leaderboard.View).
type Index struct {
	head     *node
	level    int
	length   int
	byPlayer map[string]*node
	rng      uint64
}

// NewIndex returns an empty index whose node heights are drawn from seed, so
// a given sequence of operations always builds the same structure.
func NewIndex(seed uint64) *Index {
	return &Index{
		head:     &node{levels: make([]level, maxLevel)},
		level:    1,
		byPlayer: map[string]*node{},
		rng:      seed,
	}
}

// Len is the number of players on the board.
func (ix *Index) Len() int { return ix.length }

// Offer records e if it beats the player's current best (a greater score,
// or the same score reached earlier: the rule of the stored standings, so
// offering stored entries in any order converges to them) or the player has
// none. An entry at exactly the player's current
// position (same score and time) with another non-empty username renames
// the player in place: the name is display data, the order is unchanged.
// It reports whether the index changed. Entries without a PlayerID are
// ignored.
func (ix *Index) Offer(e Entry) bool {
	if e.PlayerID == "" {
		return false
	}
	if old, ok := ix.byPlayer[e.PlayerID]; ok {
		if e.Score == old.entry.Score && e.AchievedAt.Equal(old.entry.AchievedAt) &&
			e.Username != "" && e.Username != old.entry.Username {
			old.entry.Username = e.Username
			return true
		}
		if Compare(e, old.entry) >= 0 {
			return false
		}
		ix.remove(old.entry)
	}
	ix.byPlayer[e.PlayerID] = ix.insert(e)
	return true
}

// Rank returns the player's 1-based rank and entry.
func (ix *Index) Rank(playerID string) (int, Entry, bool) {
	n, ok := ix.byPlayer[playerID]
	if !ok {
		return 0, Entry{}, false
	}
	rank, _ := ix.seek(n.entry)
	return rank, n.entry, true
}

// nextRandom is splitmix64: tiny, fast and good enough for node heights.
func (ix *Index) nextRandom() uint64 {
	ix.rng += 0x9e3779b97f4a7c15
	z := ix.rng
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// randomLevel draws a height with P(level > k) = 4^-k: each pair of zero
// low bits is one more level.
func (ix *Index) randomLevel() int {
	lvl := 1 + bits.TrailingZeros64(ix.nextRandom())/2
	return min(lvl, maxLevel)
}

// seek walks to the last node not after key and returns its rank (0 when
// every entry is after key) and the node (head in that case).
func (ix *Index) seek(key Entry) (int, *node) {
	rank, x := 0, ix.head
	for i := ix.level - 1; i >= 0; i-- {
		for next := x.levels[i].next; next != nil && Compare(next.entry, key) <= 0; next = x.levels[i].next {
			rank += x.levels[i].span
			x = next
		}
	}
	return rank, x
}

// insert links a new node for e; e must not be present.
func (ix *Index) insert(e Entry) *node {
	var update [maxLevel]*node
	var rank [maxLevel]int
	x := ix.head
	for i := ix.level - 1; i >= 0; i-- {
		if i < ix.level-1 {
			rank[i] = rank[i+1]
		}
		for next := x.levels[i].next; next != nil && Compare(next.entry, e) < 0; next = x.levels[i].next {
			rank[i] += x.levels[i].span
			x = next
		}
		update[i] = x
	}
	lvl := ix.randomLevel()
	for i := ix.level; i < lvl; i++ {
		update[i] = ix.head
		update[i].levels[i].span = ix.length
	}
	ix.level = max(ix.level, lvl)
	n := newNode(e, lvl)
	for i := 0; i < lvl; i++ {
		n.levels[i].next = update[i].levels[i].next
		update[i].levels[i].next = n
		n.levels[i].span = update[i].levels[i].span - (rank[0] - rank[i])
		update[i].levels[i].span = rank[0] - rank[i] + 1
	}
	for i := lvl; i < ix.level; i++ {
		update[i].levels[i].span++
	}
	if update[0] != ix.head {
		n.prev = update[0]
	}
	if next := n.levels[0].next; next != nil {
		next.prev = n
	}
	ix.length++
	return n
}

// remove unlinks the node holding e; e must be present.
func (ix *Index) remove(e Entry) {
	var update [maxLevel]*node
	x := ix.head
	for i := ix.level - 1; i >= 0; i-- {
		for next := x.levels[i].next; next != nil && Compare(next.entry, e) < 0; next = x.levels[i].next {
			x = next
		}
		update[i] = x
	}
	target := x.levels[0].next
	for i := 0; i < ix.level; i++ {
		if update[i].levels[i].next == target {
			update[i].levels[i].span += target.levels[i].span - 1
			update[i].levels[i].next = target.levels[i].next
		} else {
			update[i].levels[i].span--
		}
	}
	if next := target.levels[0].next; next != nil {
		next.prev = target.prev
	}
	for ix.level > 1 && ix.head.levels[ix.level-1].next == nil {
		ix.level--
	}
	ix.length--
	delete(ix.byPlayer, e.PlayerID)
}
