package redis

import (
	"testing"
	"time"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/contracttest"
)

// The shared contract suites, run against a real Redis on a prefix of each
// test's own. persistence/memory runs the same suites.

func TestClient_BusContract(t *testing.T) {
	t.Parallel()
	contracttest.Bus(t, func(t *testing.T) persistence.Bus { return openTest(t, newPrefix(t)) })
}

func TestClient_RateLimiterContract(t *testing.T) {
	t.Parallel()
	contracttest.RateLimiter(t, func(t *testing.T, now func() time.Time) persistence.RateLimiter {
		return openTest(t, newPrefix(t), WithClock(now))
	})
}

func TestLockout_Contract(t *testing.T) {
	t.Parallel()
	contracttest.Lockout(t, func(t *testing.T, limit int, window, duration time.Duration) (persistence.Lockout, error) {
		return NewLockout(openTest(t, newPrefix(t)), limit, window, duration)
	})
}

func TestClient_NonceStoreContract(t *testing.T) {
	t.Parallel()
	contracttest.NonceStore(t, func(t *testing.T) persistence.NonceStore { return openTest(t, newPrefix(t)) })
}

func TestClient_RevocationCacheContract(t *testing.T) {
	t.Parallel()
	contracttest.RevocationCache(t, func(t *testing.T, now func() time.Time) persistence.RevocationCache {
		return openTest(t, newPrefix(t), WithClock(now))
	})
}
