package settings_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/settings"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// waitFor bounds the wait for an event the test caused; nothing sleeps.
const waitFor = 10 * time.Second

// node is one node's store and settings holder, running until the test ends.
type node struct {
	store   *postgres.Store
	holder  *settings.Holder
	ticks   chan time.Time
	changes chan settings.Settings
}

// startNode opens a store on url and runs a holder on it; listen also
// starts the store's change listener (waiting until it is live).
func startNode(t *testing.T, url string, listen bool) *node {
	t.Helper()
	store, err := postgres.Open(context.Background(), config.Database{URL: url, MaxConns: 4}, nil)
	require.NoError(t, err)
	t.Cleanup(store.Close)
	n := &node{store: store, holder: settings.NewHolder(defaults(), store, nil),
		ticks: make(chan time.Time), changes: make(chan settings.Settings, 16)}
	n.holder.Observe(func(_, after settings.Settings) { n.changes <- after })
	require.NoError(t, n.holder.Load(context.Background()))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	t.Cleanup(func() { cancel(); <-done; <-done })
	go func() { n.holder.Run(ctx, n.ticks); done <- struct{}{} }()
	if !listen {
		done <- struct{}{}
		return n
	}
	live := make(chan struct{}, 1)
	go func() {
		store.ListenSettings(ctx, func() {
			n.holder.Changed()
			select {
			case live <- struct{}{}:
			default:
			}
		}, nil)
		done <- struct{}{}
	}()
	select {
	case <-live:
	case <-time.After(waitFor):
		t.Fatal("settings listener did not start")
	}
	return n
}

func (n *node) next(t *testing.T) settings.Settings {
	t.Helper()
	select {
	case s := <-n.changes:
		return s
	case <-time.After(waitFor):
		t.Fatal("the holder heard no change")
		return settings.Settings{}
	}
}

// patch writes a merge patch through a's store, as the admin route does.
func patch(t *testing.T, store *postgres.Store, h *settings.Holder, p string) persistence.StoredSettings {
	t.Helper()
	row, err := store.UpdateSettings(context.Background(), persistence.SystemActor("test"), -1, func(cur persistence.StoredSettings) ([]byte, error) {
		doc, _, err := settings.Merge(h.Defaults(), cur.Overrides, []byte(p))
		return doc, err
	})
	require.NoError(t, err)
	return row
}

// TestHolder_TwoNodesSeeAChange: two nodes share one database. A change
// written on one reaches the other through the store's notification; with
// no listener, the other's next version poll (an injected tick) finds it.
// Both nodes' observers hear each change once, and a node restarted later
// loads the stored settings.
func TestHolder_TwoNodesSeeAChange(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a := startNode(t, url, true)
	b := startNode(t, url, true)
	c := startNode(t, url, false) // hears no notification: polls only

	row := patch(t, a.store, a.holder, `{"maintenance":{"enabled":true,"message":"Back soon"}}`)
	require.NoError(t, a.holder.Apply(row), "the writing node applies its own write at once")
	require.True(t, a.next(t).Maintenance.Enabled)
	got := b.next(t)
	require.True(t, got.Maintenance.Enabled, "the notification reached the other node")
	require.Equal(t, "Back soon", got.Maintenance.Message)
	require.Equal(t, row.Version, b.holder.Snapshot().Version)

	require.False(t, c.holder.Current().Maintenance.Enabled, "no tick yet")
	c.ticks <- time.Now()
	require.True(t, c.next(t).Maintenance.Enabled, "the poll found the new version")
	c.ticks <- time.Now() // same version: no reload, no second change
	require.Empty(t, c.changes)

	patch(t, b.store, b.holder, `{"maintenance":{"enabled":false}}`)
	require.False(t, a.next(t).Maintenance.Enabled)
	require.False(t, b.next(t).Maintenance.Enabled)
	c.ticks <- time.Now()
	require.False(t, c.next(t).Maintenance.Enabled)
	require.Empty(t, a.changes, "the writer heard its notification once")

	restarted := startNode(t, url, false)
	require.Equal(t, "Back soon", restarted.holder.Current().Maintenance.Message, "settings survive a restart")
	require.Equal(t, row.Version+1, restarted.holder.Snapshot().Version)
}
