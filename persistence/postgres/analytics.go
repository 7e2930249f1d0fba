package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.AnalyticsStore = (*Store)(nil)

// queueClientEventsSQL writes the rows born processed: only cursor
// readers read this topic, so the claimers' pending index never holds it.
const queueClientEventsSQL = `INSERT INTO outbox (topic, key, payload, created_at, available_at, processed_at)
SELECT $1, k, p, $4, $4, $4 FROM unnest($2::text[], $3::bytea[]) AS u(k, p)
ON CONFLICT (topic, key) DO NOTHING`

// QueueClientEvents implements persistence.AnalyticsStore.
func (s *Store) QueueClientEvents(ctx context.Context, events []persistence.ClientEvent) (int, error) {
	defer observe("queue_client_events", time.Now())
	if len(events) == 0 {
		return 0, nil
	}
	now := s.stamp()
	keys := make([]string, 0, len(events))
	payloads := make([][]byte, 0, len(events))
	for _, e := range events {
		if e.PlayerID == "" || e.Key == "" {
			return 0, errors.New("queue client events: player and key are required")
		}
		if e.At.IsZero() {
			e.At = now
		}
		b, err := json.Marshal(e)
		if err != nil {
			return 0, fmt.Errorf("queue client events: %w", err)
		}
		keys = append(keys, e.PlayerID+":"+e.Key)
		payloads = append(payloads, b)
	}
	tag, err := s.pool.Exec(ctx, queueClientEventsSQL, persistence.TopicAnalyticsClient, keys, payloads, now)
	if err != nil {
		return 0, mapErr("queue client events", err)
	}
	return int(tag.RowsAffected()), nil
}

// queueFactSQL writes a cursor-only outbox row (born processed: the
// claimers' pending index never holds it) unless its key is taken.
const queueFactSQL = `INSERT INTO outbox (topic, key, payload, created_at, available_at, processed_at)
VALUES ($1, $2, $3, $4, $4, $4) ON CONFLICT (topic, key) DO NOTHING`

// queueFact writes the outbox row of a fact in the transaction that
// records it, for the analytics readers.
func queueFact(ctx context.Context, tx pgx.Tx, topic, key string, payload any, at time.Time) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("queue %s: %w", topic, err)
	}
	if _, err := tx.Exec(ctx, queueFactSQL, topic, key, b, at); err != nil {
		return fmt.Errorf("queue %s: %w", topic, err)
	}
	return nil
}

// queueSignedUp records a new player's sign-up (method guest, email or
// wallet).
func queueSignedUp(ctx context.Context, tx pgx.Tx, playerID, method string, at time.Time) error {
	return queueFact(ctx, tx, persistence.TopicSignedUp, playerID,
		persistence.SignedUpEvent{PlayerID: playerID, Method: method, At: at}, at)
}

// walletKey keys a wallet.linked row without the address: its hash.
func walletKey(playerID string, chain persistence.Chain, address string) string {
	h := sha256.Sum256([]byte(address))
	return playerID + ":" + string(chain) + ":" + hex.EncodeToString(h[:8])
}
