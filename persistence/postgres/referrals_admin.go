package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// Referrals implements persistence.ReferralStore. The cursor is the last
// row's (created_at, id), the notifications' cursor shape, so a page is
// stable under new sign-ups.
func (s *Store) Referrals(ctx context.Context, status persistence.ReferralStatus, cursor string, limit int,
) (persistence.ReferralPage, error) {
	defer observe("referrals", time.Now())
	page := persistence.ReferralPage{Items: []persistence.Referral{}}
	at, after, err := decodeNotificationCursor(cursor)
	if err != nil {
		return page, fmt.Errorf("referrals: %w", persistence.ErrBadCursor)
	}
	if limit <= 0 {
		return page, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT r.id::text, r.referrer_id::text, r.referred_id::text, rp.username,
			p.username, r.status, coalesce(r.reason, ''), r.games_counted, r.created_at, r.rewarded_at
		FROM referrals r JOIN players p ON p.id = r.referred_id JOIN players rp ON rp.id = r.referrer_id
		WHERE ($1 = '' OR r.status = $1)
			AND ($2::timestamptz IS NULL OR (r.created_at, r.id) < ($2, $3::uuid))
		ORDER BY r.created_at DESC, r.id DESC LIMIT $4`, string(status), at, after, limit+1)
	if err != nil {
		return page, mapErr("referrals", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (persistence.Referral, error) {
		var r persistence.Referral
		var st, reason string
		err := row.Scan(&r.ID, &r.ReferrerID, &r.ReferredID, &r.ReferrerName, &r.ReferredName, &st, &reason,
			&r.GamesCounted, &r.CreatedAt, &r.RewardedAt)
		r.Status, r.Reason, r.CreatedAt = persistence.ReferralStatus(st), persistence.RefusalReason(reason), r.CreatedAt.UTC()
		return r, err
	})
	if err != nil {
		return page, mapErr("referrals", err)
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = encodeNotificationCursor(last.CreatedAt, last.ID)
	}
	page.Items = items
	return page, nil
}
