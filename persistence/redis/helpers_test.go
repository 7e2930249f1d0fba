package redis

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/config"
)

// testRedisURL is the real Redis the tests use; REDIS_TEST_URL overrides it.
func testRedisURL() string {
	if u := os.Getenv("REDIS_TEST_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newPrefix returns a key prefix unique to this test and deletes every key
// under it when the test ends.
func newPrefix(t testing.TB) string {
	t.Helper()
	name := strings.NewReplacer("/", "_", " ", "_", "*", "_").Replace(t.Name())
	prefix := "pstest:" + name + ":" + uuid.NewString()[:8] + ":"
	t.Cleanup(func() { deleteKeys(t, prefix) })
	return prefix
}

// deleteKeys removes every key under prefix.
func deleteKeys(t testing.TB, prefix string) {
	t.Helper()
	opts, err := goredis.ParseURL(testRedisURL())
	require.NoError(t, err)
	rdb := goredis.NewClient(opts)
	defer func() { require.NoError(t, rdb.Close()) }()
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, escapeGlob(prefix)+"*", 100).Iterator()
	for iter.Next(ctx) {
		require.NoError(t, rdb.Del(ctx, iter.Val()).Err())
	}
	require.NoError(t, iter.Err())
}

// rawClient is a plain go-redis client for inspecting state behind the
// Client's back (TTLs, connections), closed at cleanup.
func rawClient(t testing.TB) *goredis.Client {
	t.Helper()
	opts, err := goredis.ParseURL(testRedisURL())
	require.NoError(t, err)
	rdb := goredis.NewClient(opts)
	t.Cleanup(func() { require.NoError(t, rdb.Close()) })
	return rdb
}

// openTest opens a Client on prefix, closed at cleanup.
func openTest(t testing.TB, prefix string, opts ...Option) *Client {
	t.Helper()
	cfg := config.Redis{URL: testRedisURL(), Prefix: prefix, SubscribeQueue: 64}
	c, err := Open(context.Background(), cfg, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Close()) })
	return c
}

// inbox collects delivered messages for assertions.
type inbox struct {
	mu   sync.Mutex
	msgs []delivered
}

type delivered struct {
	Topic   string
	Payload string
}

func (b *inbox) deliver(topic string, payload []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, delivered{topic, string(payload)})
}

func (b *inbox) all() []delivered {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]delivered(nil), b.msgs...)
}

// has reports whether topic arrived.
func (b *inbox) has(topic string) bool {
	for _, m := range b.all() {
		if m.Topic == topic {
			return true
		}
	}
	return false
}

// waitFor polls until topic arrives.
func (b *inbox) waitFor(t testing.TB, topic string) {
	t.Helper()
	require.Eventually(t, func() bool { return b.has(topic) }, 5*time.Second, 5*time.Millisecond,
		"topic %q never arrived; got %v", topic, b.all())
}

// fakeClock is a manually advanced clock for the rate limiter.

// openAt opens a Client on a Redis of the test's own (redistest), closed at
// cleanup.
func openAt(t testing.TB, url string) *Client {
	t.Helper()
	c, err := Open(context.Background(), config.Redis{URL: url, SubscribeQueue: 64})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Close()) })
	return c
}
