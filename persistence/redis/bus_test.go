package redis

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

func TestClient_Subscribe_prefixIsolation(t *testing.T) {
	t.Parallel()
	blue, green := openTest(t, newPrefix(t)), openTest(t, newPrefix(t))
	blueBox, greenBox := &inbox{}, &inbox{}
	require.NoError(t, blue.Subscribe(t.Context(), "", blueBox.deliver))
	require.NoError(t, green.Subscribe(t.Context(), "", greenBox.deliver))

	require.NoError(t, blue.Publish(t.Context(), "events:x", []byte("blue")))
	require.NoError(t, green.Publish(t.Context(), "events:y", []byte("green")))
	blueBox.waitFor(t, "events:x")
	greenBox.waitFor(t, "events:y")

	require.Equal(t, []delivered{{"events:x", "blue"}}, blueBox.all())
	require.Equal(t, []delivered{{"events:y", "green"}}, greenBox.all())
}

func TestClient_Subscribe_stopsWithContext(t *testing.T) {
	t.Parallel()
	name := "pstest-stop-" + strings.ReplaceAll(newPrefix(t), ":", "-")
	c := openTest(t, newPrefix(t), WithClientName(name))
	rdb := rawClient(t)
	ctx, cancel := context.WithCancel(t.Context())
	require.NoError(t, c.Subscribe(ctx, "events:", (&inbox{}).deliver))
	require.Len(t, subscriberIDs(t, rdb, name), 1)

	cancel()
	require.Eventually(t, func() bool { return len(subscriberIDs(t, rdb, name)) == 0 },
		5*time.Second, 5*time.Millisecond, "subscription connection still open")
}

func TestClient_Subscribe_reconnects(t *testing.T) {
	t.Parallel()
	prefix := newPrefix(t)
	name := "pstest-reconnect-" + strings.ReplaceAll(prefix, ":", "-")
	sub, pub := openTest(t, prefix, WithClientName(name)), openTest(t, prefix)
	box := &inbox{}
	require.NoError(t, sub.Subscribe(t.Context(), "events:", box.deliver))
	rdb := rawClient(t)
	ids := subscriberIDs(t, rdb, name)
	require.Len(t, ids, 1)

	require.NoError(t, rdb.Do(t.Context(), "CLIENT", "KILL", "ID", ids[0]).Err())

	// Messages published while the subscriber is away are lost (at most
	// once), so keep publishing until one arrives over the new connection.
	require.Eventually(t, func() bool {
		if err := pub.Publish(t.Context(), "events:after", []byte("x")); err != nil {
			return false
		}
		return box.has("events:after")
	}, 15*time.Second, 50*time.Millisecond)
	require.NotEqual(t, ids, subscriberIDs(t, rdb, name))
}

func TestClient_Subscribe_afterClose(t *testing.T) {
	t.Parallel()
	c := openTest(t, newPrefix(t))
	require.NoError(t, c.Close())
	require.Error(t, c.Subscribe(t.Context(), "events:", (&inbox{}).deliver))
}

func TestClient_Publish_metrics(t *testing.T) {
	t.Parallel()
	prefix := newPrefix(t)
	c := openTest(t, prefix)
	box := &inbox{}
	require.NoError(t, c.Subscribe(t.Context(), "", box.deliver))
	published, received := testutil.ToFloat64(busPublished), testutil.ToFloat64(busReceived)

	require.NoError(t, c.Publish(t.Context(), "m", nil))
	box.waitFor(t, "m")
	// Other tests run in parallel, so the counters only ever grow by at least ours.
	require.GreaterOrEqual(t, testutil.ToFloat64(busPublished), published+1)
	require.GreaterOrEqual(t, testutil.ToFloat64(busReceived), received+1)
}

// subscriberIDs lists the ids of connections named name that hold a pattern
// subscription.
func subscriberIDs(t testing.TB, rdb *goredis.Client, name string) []string {
	t.Helper()
	list, err := rdb.ClientList(context.Background()).Result()
	if err != nil {
		return []string{"error: " + err.Error()}
	}
	var ids []string
	for _, line := range strings.Split(list, "\n") {
		fields := map[string]string{}
		for _, kv := range strings.Fields(line) {
			k, v, _ := strings.Cut(kv, "=")
			fields[k] = v
		}
		if fields["name"] == name && fields["psub"] != "0" {
			ids = append(ids, fields["id"])
		}
	}
	return ids
}
