package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// The notify.* rows written here share the transaction of the fact they
// announce (a mint's final status, a challenge's start, a period's
// freeze), so a notification exists exactly when its fact committed; the
// worker (actors/notifications) turns each into inbox entries once.

// queueMintNotices writes a persistence.TopicNotifyMint row for each
// request in ms that reached a final status (accepted, failed); a request
// sent back to pending is no news to its player.
func queueMintNotices(ctx context.Context, tx pgx.Tx, ms []persistence.MintRequest, now time.Time) error {
	var topics, keys []string
	var payloads [][]byte
	for _, m := range ms {
		if m.Status != persistence.MintAccepted && m.Status != persistence.MintFailed {
			continue
		}
		payload, err := json.Marshal(persistence.NotifyMintEvent{MintID: m.ID, PlayerID: m.PlayerID,
			BadgeID: m.BadgeID, Chain: m.Chain, Status: m.Status, TxHash: m.TxHash})
		if err != nil {
			return fmt.Errorf("encode notify.mint.status: %w", err)
		}
		topics = append(topics, persistence.TopicNotifyMint)
		keys = append(keys, "mint:"+m.ID+":"+string(m.Status))
		payloads = append(payloads, payload)
	}
	if len(topics) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, insertOutboxSQL, topics, keys, payloads, now)
	return mapErr("queue notify.mint.status", err)
}

// queueChallengeStarted writes the challenge's
// persistence.TopicNotifyChallengeStarted row.
func queueChallengeStarted(ctx context.Context, tx pgx.Tx, ev persistence.NotifyChallengeStartedEvent,
	now time.Time,
) error {
	payload, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode notify.challenge.started: %w", err)
	}
	_, err = tx.Exec(ctx, insertOutboxSQL, []string{persistence.TopicNotifyChallengeStarted},
		[]string{ev.ChallengeID}, [][]byte{payload}, now)
	return mapErr("queue notify.challenge.started", err)
}

// createMatched creates a formed match's session and its
// persistence.TopicNotifyMatchFound row in one transaction
// (persistence.SessionStore.CreateSession).
func (s *Store) createMatched(ctx context.Context, ss persistence.Session) error {
	payload, err := json.Marshal(persistence.NotifyMatchFoundEvent{SessionID: ss.ID, Mode: ss.Mode,
		Players: ss.MatchedPlayers})
	if err != nil {
		return fmt.Errorf("encode notify.match.found: %w", err)
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := s.insertSessionRow(ctx, tx, ss); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, insertOutboxSQL, []string{persistence.TopicNotifyMatchFound}, []string{ss.ID},
			[][]byte{payload}, ss.CreatedAt)
		return mapErr("queue notify.match.found", err)
	})
}
