// Package budget spends a cluster-wide rate limit locally: each node
// reserves a slice (a lease) of a subject's budget from the shared store in
// one round trip and admits requests from it in memory, so a hot subject
// costs no store round trip per request.
//
// The algorithm is token leasing over the store's GCRA (the quota-slice
// scheme of YouTube's Doorman and Envoy's global quota, reduced to one
// store): Reserver grants cells that the cluster-wide GCRA has already
// admitted, so nodes never admit more than the store handed out. A lease
// expires one sync interval after it was taken; a top-up taken while tokens
// are left extends the rest by at most one more interval. Hence
// the tolerance: a request is admitted at most two sync intervals after its
// cell was reserved, so over any span the cluster admits at most what the
// store's GCRA admits over that span plus 2 × limit × sync / window
// requests per subject — independent of the number of nodes. The other way,
// a node may let up to one lease per subject and sync interval expire
// unspent; lease sizes start at one request and double only while leases
// are spent before they expire, so the waste follows the subject's demand.
//
// A denial from the store is remembered until its retry time: refused
// requests ask the store nothing until then (a GCRA cell never becomes free
// earlier), and their Retry-After is the store's.
package budget

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"sync"
	"time"
)

// Reserver takes up to n requests at once from a cluster-wide budget of
// limit per window (persistence.RateLimiter on Redis). It grants what the budget
// has room for, possibly fewer than n; with nothing granted retry is how
// long until one more request would pass.
type Reserver interface {
	Reserve(ctx context.Context, key string, n, limit int, window time.Duration) (granted int, retry time.Duration, err error)
}

// refillTimeout bounds a background top-up; a request that finds the lease
// empty meanwhile waits for it, so it must not hang on a dead store.
const refillTimeout = time.Second

// shardCount spreads subjects over independent locks.
const shardCount = 32

// Local admits requests from leases of the cluster-wide budgets it reserves
// through a Reserver. Safe for concurrent use.
type Local struct {
	store  Reserver
	sync   time.Duration
	now    func() time.Time
	seed   maphash.Seed
	shards [shardCount]shard
	// refills counts top-ups in flight (each bounded by refillTimeout).
	refills sync.WaitGroup
}

// NewLocal returns local budgets over store whose leases live for sync
// (> 0), timed by now.
func NewLocal(store Reserver, sync time.Duration, now func() time.Time) *Local {
	return &Local{store: store, sync: sync, now: now, seed: maphash.MakeSeed()}
}

// shard holds the leases of some subjects under one lock.
type shard struct {
	mu     sync.Mutex
	leases map[string]*lease
	swept  time.Time
}

// lease is one subject's slice of its budget on this node.
type lease struct {
	tokens  int
	expires time.Time
	// size is what the next reservation asks for: 1 for a cold subject,
	// doubled each time a lease is spent before it expires, halved when one
	// expires unspent.
	size int
	// blockedUntil caches the store's last refusal.
	blockedUntil time.Time
	// inflight is closed when the reservation in flight (at most one per
	// subject) is done; nil when none is.
	inflight chan struct{}
}

// Allow takes one request of key's budget (limit per window). It asks the
// store only when this node holds no lease for key, and then at most once
// for all concurrent requests of key. An error is the store's: the caller
// decides to fail open or closed.
func (l *Local) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	if limit <= 0 || window <= 0 {
		return false, 0, fmt.Errorf("local budget %s: limit and window must be positive", key)
	}
	s := &l.shards[maphash.String(l.seed, key)%shardCount]
	for {
		s.mu.Lock()
		now := l.now()
		s.sweep(now, l.sync)
		le := s.lease(key)
		switch {
		case le.tokens > 0 && now.Before(le.expires):
			le.tokens--
			refill := le.inflight == nil && le.size > 1 && le.tokens <= le.size/2
			if refill {
				le.inflight = make(chan struct{})
			}
			s.mu.Unlock()
			if refill {
				l.refills.Go(func() { l.refill(context.WithoutCancel(ctx), s, key, le, limit, window) })
			}
			return true, 0, nil
		case now.Before(le.blockedUntil):
			retry := le.blockedUntil.Sub(now)
			s.mu.Unlock()
			return false, retry, nil
		case le.inflight != nil:
			wait := le.inflight
			s.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return false, 0, fmt.Errorf("local budget %s: %w", key, ctx.Err())
			}
		}
		le.inflight = make(chan struct{})
		s.mu.Unlock()
		if err := l.reserve(ctx, s, key, le, limit, window); err != nil {
			return false, 0, err
		}
	}
}

// Wait returns once no top-up is in flight; each ends within a second.
// Tests call it before counting store calls.
func (l *Local) Wait() { l.refills.Wait() }

// refill tops up a lease that is half spent, off the request's path.
func (l *Local) refill(ctx context.Context, s *shard, key string, le *lease, limit int, window time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, refillTimeout)
	defer cancel()
	// A failed top-up leaves the rest of the lease; the request that finds
	// it empty asks the store itself and gets the error.
	_ = l.reserve(ctx, s, key, le, limit, window)
}

// reserve asks the store for le.size cells of key and stores the answer in
// le; the caller has set le.inflight, which reserve closes.
func (l *Local) reserve(ctx context.Context, s *shard, key string, le *lease, limit int, window time.Duration) error {
	most := leaseCap(limit, window, l.sync)
	s.mu.Lock()
	want := max(1, min(le.size, most))
	s.mu.Unlock()
	granted, retry, err := l.store.Reserve(ctx, key, want, limit, window)
	s.mu.Lock()
	defer s.mu.Unlock()
	close(le.inflight)
	le.inflight = nil
	if err != nil {
		return fmt.Errorf("local budget %s: %w", key, err)
	}
	now := l.now()
	if granted == 0 {
		le.blockedUntil = now.Add(retry)
		return nil
	}
	switch {
	case le.expires.IsZero(): // the subject's first lease
	case now.Before(le.expires):
		le.size = min(want*2, most) // at least half a lease spent before it expired: demand outruns it
	case le.tokens > 0: // expired unspent: demand is below the lease
		le.size = max(1, le.size/2)
		le.tokens = 0 // expired: those cells are not spent any more
	}
	le.tokens += granted
	le.expires = now.Add(l.sync)
	return nil
}

// leaseCap is the largest lease of a subject: what its budget refills in
// one sync interval, at least one request and at most the whole limit.
func leaseCap(limit int, window, sync time.Duration) int {
	c := math.Ceil(float64(limit) * sync.Seconds() / window.Seconds())
	return int(max(1, min(c, float64(limit))))
}

// lease returns key's lease, creating an empty one.
func (s *shard) lease(key string) *lease {
	if s.leases == nil {
		s.leases = make(map[string]*lease)
	}
	le := s.leases[key]
	if le == nil {
		le = &lease{size: 1}
		s.leases[key] = le
	}
	return le
}

// sweep drops, at most once per sync interval, the leases that hold
// nothing: expired, not blocked and with no reservation in flight. It
// bounds memory by the subjects seen in about one interval; a subject
// whose lease expired unspent starts small again.
func (s *shard) sweep(now time.Time, every time.Duration) {
	if now.Sub(s.swept) < every {
		return
	}
	s.swept = now
	for key, le := range s.leases {
		if le.inflight == nil && !now.Before(le.expires) && !now.Before(le.blockedUntil) {
			delete(s.leases, key)
		}
	}
}

// subjects is how many subjects hold a lease; for tests.
func (l *Local) subjects() int {
	n := 0
	for i := range l.shards {
		l.shards[i].mu.Lock()
		n += len(l.shards[i].leases)
		l.shards[i].mu.Unlock()
	}
	return n
}
