package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// countReferralGameSQL counts game $1 once for each listed player ($2)
// whose referral is pending, when mode $3 is ranked, and returns the
// referrals it moved with their new count. The referral_games key makes a
// redelivered game count nothing.
const countReferralGameSQL = `WITH counted AS (
		INSERT INTO referral_games (referred_id, session_id)
		SELECT r.referred_id, $1::uuid FROM referrals r
		WHERE r.referred_id = ANY($2::uuid[]) AND r.status = 'pending'
			AND EXISTS (SELECT 1 FROM game_modes m WHERE m.name = $3 AND m.ranked)
		ON CONFLICT (referred_id, session_id) DO NOTHING
		RETURNING referred_id)
	UPDATE referrals r SET games_counted = r.games_counted + 1
	FROM counted c WHERE r.referred_id = c.referred_id
	RETURNING r.id::text, r.referrer_id::text, r.referred_id::text, r.games_counted`

// CountReferralGame implements persistence.ReferralStore.
func (s *Store) CountReferralGame(ctx context.Context, sessionID, mode string, players []string, target int) ([]persistence.ReferralRewardedEvent, error) {
	defer observe("count_referral_game", time.Now())
	ids := make([]string, 0, len(players))
	for _, p := range players {
		if validID(p) {
			ids = append(ids, p)
		}
	}
	if !validID(sessionID) || len(ids) == 0 {
		return nil, nil
	}
	now := s.stamp()
	var rewarded []persistence.ReferralRewardedEvent
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rewarded = nil // a retried closure starts over
		due, err := countGame(ctx, tx, sessionID, mode, ids, target)
		if err != nil {
			return err
		}
		for _, e := range due {
			ok, err := rewardReferral(ctx, tx, &e, now)
			if err != nil {
				return err
			}
			if ok {
				rewarded = append(rewarded, e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, mapErr("count referral game "+sessionID, err)
	}
	return rewarded, nil
}

// countGame counts the game and returns the referrals now at target.
func countGame(ctx context.Context, tx pgx.Tx, sessionID, mode string, ids []string, target int) ([]persistence.ReferralRewardedEvent, error) {
	rows, err := tx.Query(ctx, countReferralGameSQL, sessionID, ids, mode)
	if err != nil {
		return nil, fmt.Errorf("count game: %w", err)
	}
	var due []persistence.ReferralRewardedEvent
	_, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (struct{}, error) {
		var e persistence.ReferralRewardedEvent
		var games int
		if err := r.Scan(&e.ReferralID, &e.ReferrerID, &e.ReferredID, &games); err != nil {
			return struct{}{}, err
		}
		if games >= target {
			due = append(due, e)
		}
		return struct{}{}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("count game: %w", err)
	}
	return due, nil
}

// rewardReferral marks e's referral rewarded (false when it already was),
// awards the active reward badge to both players with their mints, and
// writes the referral.rewarded outbox row, all in tx.
func rewardReferral(ctx context.Context, tx pgx.Tx, e *persistence.ReferralRewardedEvent, now time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `UPDATE referrals SET status = 'rewarded', rewarded_at = $2
		WHERE id = $1 AND status = 'pending'`, e.ReferralID, now)
	if err != nil {
		return false, fmt.Errorf("reward referral %s: %w", e.ReferralID, err)
	}
	if tag.RowsAffected() == 0 {
		return false, nil
	}
	e.RewardedAt = now
	err = tx.QueryRow(ctx, `SELECT id::text, name, rarity FROM badges WHERE slug = $1 AND active`,
		persistence.ReferralBadgeSlug).Scan(&e.BadgeID, &e.BadgeName, &e.BadgeRarity)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("reward badge: %w", err)
	}
	if e.BadgeID != "" {
		if e.ReferrerAwarded, err = awardInTx(ctx, tx, e.ReferrerID, e.BadgeID, now); err != nil {
			return false, err
		}
		if e.ReferredAwarded, err = awardInTx(ctx, tx, e.ReferredID, e.BadgeID, now); err != nil {
			return false, err
		}
	}
	payload, err := json.Marshal(e)
	if err != nil {
		return false, fmt.Errorf("encode referral.rewarded: %w", err)
	}
	_, err = tx.Exec(ctx, insertOutboxSQL, []string{persistence.TopicReferralRewarded},
		[]string{e.ReferralID}, [][]byte{payload}, now)
	if err != nil {
		return false, fmt.Errorf("write referral.rewarded: %w", err)
	}
	return true, nil
}

// awardInTx gives the badge like AwardBadge does with SourceAuto (nothing
// to a banned player, once per player) and queues its mint.
func awardInTx(ctx context.Context, tx pgx.Tx, playerID, badgeID string, now time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO player_badges (player_id, badge_id, awarded_at, source)
		SELECT $1::uuid, $2::uuid, $3::timestamptz, 'auto'
		WHERE NOT EXISTS (SELECT 1 FROM players WHERE id = $1 AND banned_at IS NOT NULL)
		ON CONFLICT (player_id, badge_id) DO NOTHING`, playerID, badgeID, now)
	if err != nil {
		return false, fmt.Errorf("award referral badge to %s: %w", playerID, err)
	}
	if tag.RowsAffected() == 0 {
		return false, nil
	}
	return true, queueMint(ctx, tx, playerID, badgeID, now)
}
