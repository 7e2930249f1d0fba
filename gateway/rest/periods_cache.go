package rest

import (
	"context"
	"fmt"
	"sync"

	"github.com/proofstell/proofstell/persistence"
)

// DefaultProofTrees is how many period trees the proof endpoint keeps when
// PeriodDeps.CacheTrees is zero. A tree keeps every level: about 64 bytes
// per player (a 1,000,000-player period is ~64 MB plus its standings), so
// the bound is kept small; proofs are asked mostly for the latest periods.
const DefaultProofTrees = 4

// periodTree is one period's tree rebuilt from its frozen standings.
type periodTree struct {
	tree      ProofTree
	standings []persistence.PeriodStanding
}

// treeEntry is a cached or in-flight build; ready closes when it settles.
type treeEntry struct {
	ready chan struct{}
	val   periodTree
	err   error
}

// treeCache keeps the most recently used period trees, at most size, and
// builds each one once even when many requests miss together. Failed
// builds are not kept.
type treeCache struct {
	build   BuildProofTree
	mu      sync.Mutex
	size    int
	entries map[string]*treeEntry
	order   []string // least recently used first
}

func newTreeCache(build BuildProofTree, size int) *treeCache {
	if size <= 0 {
		size = DefaultProofTrees
	}
	return &treeCache{build: build, size: size, entries: map[string]*treeEntry{}}
}

// get returns root's tree, building it from store on a miss. The rebuilt
// root must equal the stored one: a mismatch means the frozen standings and
// the published root disagree, which must never be served.
func (c *treeCache) get(ctx context.Context, store persistence.PeriodStore, root persistence.PeriodRoot) (periodTree, error) {
	key := root.Key().String()
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &treeEntry{ready: make(chan struct{})}
		c.entries[key] = e
	}
	c.touch(key)
	c.mu.Unlock()
	if !ok {
		e.val, e.err = c.buildPeriodTree(ctx, store, root)
		if e.err != nil {
			c.forget(key, e)
		}
		close(e.ready)
	}
	select {
	case <-e.ready:
		return e.val, e.err
	case <-ctx.Done():
		return periodTree{}, fmt.Errorf("wait for period tree %s: %w", key, ctx.Err())
	}
}

// touch marks key most recently used and evicts beyond size; c.mu is held.
func (c *treeCache) touch(key string) {
	for i, k := range c.order {
		if k == key {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
	c.order = append(c.order, key)
	for len(c.order) > c.size {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}

// forget drops a failed build so the next request tries again.
func (c *treeCache) forget(key string, e *treeEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[key] != e {
		return
	}
	delete(c.entries, key)
	for i, k := range c.order {
		if k == key {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
}

func (c *treeCache) buildPeriodTree(ctx context.Context, store persistence.PeriodStore, root persistence.PeriodRoot) (periodTree, error) {
	standings, err := store.PeriodStandings(ctx, root.Key())
	if err != nil {
		return periodTree{}, fmt.Errorf("rebuild period tree: %w", err)
	}
	tree, err := c.build(root.LeafVersion, standings)
	if err != nil {
		return periodTree{}, fmt.Errorf("rebuild period tree %s: %w", root.Key(), err)
	}
	if tree.Root() != root.Root {
		return periodTree{}, fmt.Errorf("rebuild period tree %s: root %s, stored %s", root.Key(),
			tree.Root(), root.Root)
	}
	return periodTree{tree: tree, standings: standings}, nil
}
