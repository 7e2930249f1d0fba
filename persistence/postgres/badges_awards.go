package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// AwardBadge implements persistence.BadgeStore. ON CONFLICT DO NOTHING on
// the (player, badge) key makes a repeat, or a concurrent twin, a no-op
// that reports awarded=false.
func (s *Store) AwardBadge(ctx context.Context, playerID, badgeID string, source persistence.AwardSource) (bool, error) {
	defer observe("award_badge", time.Now())
	if !validID(playerID) || !validID(badgeID) {
		return false, fmt.Errorf("award badge %q to %q: %w", badgeID, playerID, persistence.ErrNotFound)
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO player_badges (player_id, badge_id, awarded_at, source)
		VALUES ($1, $2, $3, $4) ON CONFLICT (player_id, badge_id) DO NOTHING`,
		playerID, badgeID, s.stamp(), string(source))
	if err != nil {
		return false, mapErr(fmt.Sprintf("award badge %s to %s", badgeID, playerID), err)
	}
	return tag.RowsAffected() == 1, nil
}

// RevokeBadge implements persistence.BadgeStore.
func (s *Store) RevokeBadge(ctx context.Context, playerID, badgeID string) error {
	defer observe("revoke_badge", time.Now())
	if !validID(playerID) || !validID(badgeID) {
		return fmt.Errorf("revoke badge %q from %q: %w", badgeID, playerID, persistence.ErrNotFound)
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM player_badges WHERE player_id = $1 AND badge_id = $2`,
		playerID, badgeID)
	if err != nil {
		return mapErr(fmt.Sprintf("revoke badge %s from %s", badgeID, playerID), err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoke badge %s from %s: %w", badgeID, playerID, persistence.ErrNotFound)
	}
	return nil
}

// PlayerBadges implements persistence.BadgeStore.
func (s *Store) PlayerBadges(ctx context.Context, playerID string) ([]persistence.PlayerBadge, error) {
	defer observe("player_badges", time.Now())
	out := []persistence.PlayerBadge{}
	if !validID(playerID) {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT b.id::text, b.slug, b.name, b.description, b.icon, b.rarity, b.points,
		b.category, b.active, b.mintable, b.criteria, b.created_at, b.updated_at, pb.awarded_at, pb.source
		FROM player_badges pb JOIN badges b ON b.id = pb.badge_id
		WHERE pb.player_id = $1 ORDER BY pb.awarded_at DESC, b.slug`, playerID)
	if err != nil {
		return nil, mapErr("badges of "+playerID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var pb persistence.PlayerBadge
		var rarity, source string
		var criteria []byte
		b := &pb.Badge
		if err := rows.Scan(&b.ID, &b.Slug, &b.Name, &b.Description, &b.Icon, &rarity, &b.Points, &b.Category,
			&b.Active, &b.Mintable, &criteria, &b.CreatedAt, &b.UpdatedAt, &pb.AwardedAt, &source); err != nil {
			return nil, mapErr("badges of "+playerID, err)
		}
		b.Rarity, b.Criteria, pb.Source = persistence.Rarity(rarity), criteria, persistence.AwardSource(source)
		out = append(out, pb)
	}
	return out, mapErr("badges of "+playerID, rows.Err())
}
