package auth

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// Subscriber is the receiving side of the bus (persistence.Bus): Listen
// hears every node's revocation announcements through it.
type Subscriber interface {
	Subscribe(ctx context.Context, prefix string, deliver func(topic string, payload []byte)) error
}

// recentVerdicts holds verdicts Redis gave recently, so a hot token is
// checked without a round trip. An entry answers only while the node is
// sure it has heard of every revocation since the entry was read:
//
//   - every revocation announcement on the bus, from any node, and every
//     revocation this node records, moves the generation on and so retires
//     every entry at once (revocations are rare; hot tokens re-read once);
//   - an entry is stored only if no announcement arrived while Redis was
//     being read, and only from a trusted Redis answer (reachable, rebuilt
//     marker present, no failed write on this node since the last rebuild);
//   - the node trusts no entry while Redis is in doubt (a failed read or
//     write, Invalidate after a server change) or after the subscription's
//     context ended;
//   - an entry lives at most ttl, which bounds how long an announcement the
//     bus lost (pub/sub is at most once; a reconnect drops what was sent
//     meanwhile) can go unnoticed: after ttl the check reads Redis again.
//
// Memory is bounded like verifiedTokens: two generations of at most
// limit/2 queries.
type recentVerdicts struct {
	ttl       time.Duration
	gen       atomic.Uint64
	listening atomic.Bool

	mu    sync.Mutex
	half  int
	young map[persistence.RevocationQuery]recentVerdict
	old   map[persistence.RevocationQuery]recentVerdict
}

// recentVerdict is one verdict and when it stops answering.
type recentVerdict struct {
	verdict persistence.RevocationVerdict
	gen     uint64
	until   time.Time
}

// recentVerdictsLimit bounds the queries held (about 0.3 KiB each).
const recentVerdictsLimit = 1 << 16

func newRecentVerdicts(ttl time.Duration) *recentVerdicts {
	half := recentVerdictsLimit / 2
	return &recentVerdicts{ttl: ttl, half: half, young: make(map[persistence.RevocationQuery]recentVerdict)}
}

// Listen makes Check answer hot tokens from memory for at most ttl (0 keeps
// every check on Redis): it subscribes to the revocation announcements of
// every node and returns once the subscription is live; from then until ctx
// ends, each announcement retires every verdict held. cmd calls it once.
func (r *Revocation) Listen(ctx context.Context, bus Subscriber, ttl time.Duration) error {
	if ttl <= 0 {
		return nil
	}
	recent := newRecentVerdicts(ttl)
	if err := bus.Subscribe(ctx, RevocationTopicPrefix, func(string, []byte) { recent.forget() }); err != nil {
		return fmt.Errorf("listen for revocations: %w", err)
	}
	recent.listening.Store(true)
	context.AfterFunc(ctx, func() { recent.listening.Store(false) })
	r.recent.Store(recent)
	return nil
}

// remembered returns q's verdict from memory if the node may trust it.
func (r *Revocation) remembered(q persistence.RevocationQuery) (persistence.RevocationVerdict, bool) {
	recent := r.trustedMemory()
	if recent == nil {
		return persistence.RevocationVerdict{}, false
	}
	return recent.get(q, r.tokens.now())
}

// trustedMemory is the memory of verdicts while it may answer, else nil.
func (r *Revocation) trustedMemory() *recentVerdicts {
	recent := r.recent.Load()
	if recent == nil || !recent.listening.Load() || r.dirty.Load() != 0 || r.redis.Open() {
		return nil
	}
	return recent
}

// forgetVerdicts retires every verdict held; revocations recorded on this
// node call it before they are announced.
func (r *Revocation) forgetVerdicts() {
	if recent := r.recent.Load(); recent != nil {
		recent.forget()
	}
}

// forget retires every entry (a revocation was heard).
func (m *recentVerdicts) forget() { m.gen.Add(1) }

// generation is the value put must be given: read it before asking Redis.
func (m *recentVerdicts) generation() uint64 { return m.gen.Load() }

// get returns q's verdict if it was stored in the current generation and
// is younger than ttl at now.
func (m *recentVerdicts) get(q persistence.RevocationQuery, now time.Time) (persistence.RevocationVerdict, bool) {
	gen := m.gen.Load()
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.young[q]
	if !ok {
		if e, ok = m.old[q]; ok {
			delete(m.old, q)
			m.insert(q, e)
		}
	}
	if !ok || e.gen != gen || !now.Before(e.until) {
		return persistence.RevocationVerdict{}, false
	}
	return e.verdict, true
}

// put stores Redis's verdict for q, read at now after generation returned
// gen; a revocation heard since then makes it a no-op (the read may predate
// that revocation).
func (m *recentVerdicts) put(q persistence.RevocationQuery, v persistence.RevocationVerdict, gen uint64, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.gen.Load() != gen {
		return
	}
	m.insert(q, recentVerdict{verdict: v, gen: gen, until: now.Add(m.ttl)})
}

// insert adds to the young generation, turning it over when full; the
// caller holds mu.
func (m *recentVerdicts) insert(q persistence.RevocationQuery, e recentVerdict) {
	if len(m.young) >= m.half {
		m.old, m.young = m.young, make(map[persistence.RevocationQuery]recentVerdict)
	}
	m.young[q] = e
}
