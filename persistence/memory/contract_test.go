package memory

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/contracttest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newEngine returns an engine on now (time.Now when nil), closed at cleanup.
func newEngine(t testing.TB, now func() time.Time, opts ...func(*Options)) *Engine {
	t.Helper()
	o := Options{Now: now}
	for _, f := range opts {
		f(&o)
	}
	e := New(o)
	t.Cleanup(func() { require.NoError(t, e.Close()) })
	return e
}

// The shared contract suites persistence/redis runs too.

func TestEngine_BusContract(t *testing.T) {
	t.Parallel()
	contracttest.Bus(t, func(t *testing.T) persistence.Bus { return newEngine(t, nil) })
}

func TestEngine_RateLimiterContract(t *testing.T) {
	t.Parallel()
	contracttest.RateLimiter(t, func(t *testing.T, now func() time.Time) persistence.RateLimiter {
		return newEngine(t, now)
	})
}

func TestLockout_Contract(t *testing.T) {
	t.Parallel()
	contracttest.Lockout(t, func(t *testing.T, limit int, window, duration time.Duration) (persistence.Lockout, error) {
		return NewLockout(newEngine(t, nil), limit, window, duration)
	})
}

func TestEngine_NonceStoreContract(t *testing.T) {
	t.Parallel()
	contracttest.NonceStore(t, func(t *testing.T) persistence.NonceStore { return newEngine(t, nil) })
}

func TestEngine_RevocationCacheContract(t *testing.T) {
	t.Parallel()
	contracttest.RevocationCache(t, func(t *testing.T, now func() time.Time) persistence.RevocationCache {
		return newEngine(t, now)
	})
}
