package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func TestStore_Outbox(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p := newGuest(t, s)
	now := clk.Now()
	r := soloResult(newSession(t, s, p.ID, now), p, 1, now)
	r.Outbox = []persistence.OutboxMessage{
		{Topic: "badges", Key: "k1", Payload: []byte("1")},
		{Topic: "badges", Key: "k2", Payload: []byte("2")},
		{Topic: "badges", Key: "k1", Payload: []byte("dup")}, // idempotency key repeats
		{Topic: "mints", Key: "k1", Payload: []byte("m")},
	}
	commit(t, s, r)
	r2 := soloResult(newSession(t, s, p.ID, now), p, 1, now)
	r2.Outbox = []persistence.OutboxMessage{{Topic: "badges", Key: "k2", Payload: []byte("again")}}
	commit(t, s, r2)

	first, err := s.ClaimOutbox(ctxT(t), "badges", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, first, 2, "one row per (topic, key)")
	require.Equal(t, "k1", first[0].Key, "oldest first")
	require.Equal(t, []byte("1"), first[0].Payload)
	require.Equal(t, 1, first[0].Attempts)

	again, err := s.ClaimOutbox(ctxT(t), "badges", 10, time.Minute)
	require.NoError(t, err)
	require.Empty(t, again, "leased rows are invisible")

	require.NoError(t, s.CompleteOutbox(ctxT(t), []int64{first[0].ID}))
	require.NoError(t, s.CompleteOutbox(ctxT(t), []int64{first[0].ID}), "completing twice is harmless")

	clk.Advance(time.Minute)
	expired, err := s.ClaimOutbox(ctxT(t), "badges", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, expired, 1, "an unfinished row comes back after its lease")
	require.Equal(t, "k2", expired[0].Key)
	require.Equal(t, 2, expired[0].Attempts)

	mints, err := s.ClaimOutbox(ctxT(t), "mints", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, mints, 1)

	_, err = s.ClaimOutbox(ctxT(t), "badges", 0, time.Minute)
	require.Error(t, err)
}
