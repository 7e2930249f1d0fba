package memory

import (
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Sweeps of expired entries ride on writes. sweepFull spaces the sweeps of
// a full keyspace, so a flood of new keys against one full of live entries
// costs one scan a second, not one a write; sweepIdle bounds how long
// expired entries linger in one that is not full.
const (
	sweepFull = time.Second
	sweepIdle = time.Minute
)

// keyspace is one family of expiring entries, bounded to limit (overflow
// policy: reject). Callers hold mu around a read-modify-write so it is
// atomic, as a Redis script is.
type keyspace[V any] struct {
	name  string
	limit int
	size  prometheus.Gauge

	mu      sync.Mutex
	items   map[string]entry[V]
	sweptAt time.Time
}

// entry is one value and when it expires (the zero time never does).
type entry[V any] struct {
	val   V
	until time.Time
}

func newKeyspace[V any](name string, limit int) *keyspace[V] {
	return &keyspace[V]{name: name, limit: limit, size: keys.WithLabelValues(name), items: make(map[string]entry[V])}
}

// live reports whether e has not expired at now.
func (e entry[V]) live(now time.Time) bool { return e.until.IsZero() || now.Before(e.until) }

// get returns key's live entry. Callers hold mu.
func (k *keyspace[V]) get(key string, now time.Time) (entry[V], bool) {
	e, ok := k.items[key]
	if ok && !e.live(now) {
		k.drop(key)
		return entry[V]{}, false
	}
	return e, ok
}

// put stores val under key until until (zero: no expiry). A new key in a
// full keyspace sweeps the expired entries first and fails with ErrFull if
// that frees nothing. Callers hold mu.
func (k *keyspace[V]) put(key string, val V, until, now time.Time) error {
	if k.sweepDue(now, sweepIdle) {
		k.sweep(now)
	}
	if _, ok := k.items[key]; !ok && len(k.items) >= k.limit {
		if k.sweepDue(now, sweepFull) {
			k.sweep(now)
		}
		if len(k.items) >= k.limit {
			rejected.WithLabelValues(k.name).Inc()
			return fmt.Errorf("store %s entry: %w", k.name, ErrFull)
		}
	}
	k.items[key] = entry[V]{val: val, until: until}
	k.size.Set(float64(len(k.items)))
	return nil
}

// drop deletes key. Callers hold mu.
func (k *keyspace[V]) drop(key string) {
	delete(k.items, key)
	k.size.Set(float64(len(k.items)))
}

// sweepDue reports whether the last sweep is every or more ago (or in the
// future: a clock set back).
func (k *keyspace[V]) sweepDue(now time.Time, every time.Duration) bool {
	since := now.Sub(k.sweptAt)
	return since >= every || since < 0
}

// sweep deletes every expired entry. Callers hold mu.
func (k *keyspace[V]) sweep(now time.Time) {
	k.sweptAt = now
	for key, e := range k.items {
		if !e.live(now) {
			delete(k.items, key)
		}
	}
	k.size.Set(float64(len(k.items)))
}
