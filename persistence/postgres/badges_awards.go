package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// AwardBadge implements persistence.BadgeStore. ON CONFLICT DO NOTHING on
// the (player, badge) key makes a repeat, or a concurrent twin, a no-op
// that reports awarded=false; an automatic award to a banned player is one
// too. A new award of a mintable badge to a player
// with a linked wallet also queues its mint request in the same
// transaction (see queueMint), so neither exists without the other.
func (s *Store) AwardBadge(ctx context.Context, playerID, badgeID string, source persistence.AwardSource) (bool, error) {
	defer observe("award_badge", time.Now())
	awarded := false
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		awarded, err = s.award(ctx, tx, playerID, badgeID, source)
		return err
	})
	return awarded, mapErr(fmt.Sprintf("award badge %s to %s", badgeID, playerID), err)
}

// AdminAwardBadge implements persistence.BadgeStore: AwardBadge with
// SourceAdmin, audited when the award is new.
func (s *Store) AdminAwardBadge(ctx context.Context, by persistence.AuditActor, playerID, badgeID string) (bool, error) {
	defer observe("admin_award_badge", time.Now())
	awarded := false
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		var err error
		if awarded, err = s.award(ctx, tx, playerID, badgeID, persistence.SourceAdmin); err != nil || !awarded {
			return nil, err
		}
		return change(persistence.ActionBadgeAward, "player_badge", playerID+":"+badgeID, nil,
			map[string]string{"playerId": playerID, "badgeId": badgeID, "source": string(persistence.SourceAdmin)}), nil
	})
	return awarded, mapErr(fmt.Sprintf("award badge %s to %s", badgeID, playerID), err)
}

// award writes one award in tx (see AwardBadge); awarded is false when it
// wrote nothing.
func (s *Store) award(ctx context.Context, tx pgx.Tx, playerID, badgeID string, source persistence.AwardSource) (bool, error) {
	player, perr := uuid.Parse(playerID)
	badge, berr := uuid.Parse(badgeID)
	if perr != nil || berr != nil {
		return false, persistence.ErrNotFound
	}
	now := s.stamp()
	tag, err := tx.Exec(ctx, `INSERT INTO player_badges (player_id, badge_id, awarded_at, source)
		SELECT $1::uuid, $2::uuid, $3::timestamptz, $4::text WHERE $4 <> 'auto'
			OR NOT EXISTS (SELECT 1 FROM players WHERE id = $1 AND banned_at IS NOT NULL)
		ON CONFLICT (player_id, badge_id) DO NOTHING`,
		player, badge, now, string(source))
	if err != nil || tag.RowsAffected() != 1 {
		return false, err
	}
	if err := queueNotifyBadge(ctx, tx, player, badge, now); err != nil {
		return false, err
	}
	return true, queueMint(ctx, tx, player.String(), badge.String(), now)
}

// notifyBadgeSQL writes the persistence.TopicNotifyBadge outbox row of a
// new award, naming the badge as the award saw it.
const notifyBadgeSQL = `INSERT INTO outbox (topic, key, payload, created_at, available_at)
SELECT $1, $2::text || ':' || $3::text, convert_to(json_build_object('playerId', $2::text, 'badgeId', $3::text,
	'slug', b.slug, 'name', b.name, 'rarity', b.rarity)::text, 'UTF8'), $4, $4
FROM badges b WHERE b.id = $3::uuid
ON CONFLICT (topic, key) DO NOTHING`

// queueNotifyBadge queues the notification of a new award in its
// transaction (actors/notifications turns it into an inbox entry).
func queueNotifyBadge(ctx context.Context, tx pgx.Tx, player, badge uuid.UUID, now time.Time) error {
	if _, err := tx.Exec(ctx, notifyBadgeSQL, persistence.TopicNotifyBadge, player.String(), badge.String(),
		now); err != nil {
		return fmt.Errorf("queue badge notification: %w", err)
	}
	return nil
}

// queueMintsSQL inserts the pending mint requests of awards: for each of
// the player's badges in $2 (token ids in $3) that the player holds and that
// is mintable, when the player has a wallet: StarkNet before Stellar, then
// the oldest link. A pair that already has a request is left alone.
const queueMintsSQL = `INSERT INTO mint_requests
		(player_id, badge_id, chain, recipient, token_id, status, created_at, updated_at)
	SELECT $1, b.id, w.chain, w.address, u.token_id, 'pending', $4, $4
	FROM unnest($2::uuid[], $3::text[]) AS u(badge_id, token_id)
	JOIN badges b ON b.id = u.badge_id AND b.mintable
	JOIN player_badges pb ON pb.player_id = $1 AND pb.badge_id = b.id
	CROSS JOIN LATERAL (SELECT chain, address FROM player_wallets WHERE player_id = $1
		ORDER BY chain = 'starknet' DESC, linked_at, address LIMIT 1) w
	ON CONFLICT (badge_id, player_id) DO NOTHING`

// queueMint queues the mint request of a new award (see queueMints).
func queueMint(ctx context.Context, tx pgx.Tx, playerID, badgeID string, now time.Time) error {
	return queueMints(ctx, tx, playerID, []string{badgeID}, now)
}

// queueMints queues a pending mint request for each of the player's held
// mintable badges among badgeIDs that has none yet, when the player has a
// wallet; otherwise it writes nothing. Both the award (AwardBadge) and a
// new wallet link (LinkWallet) go through here, so a request always has
// the same recipient choice and token id (persistence.MintTokenID).
func queueMints(ctx context.Context, tx pgx.Tx, playerID string, badgeIDs []string, now time.Time) error {
	if len(badgeIDs) == 0 {
		return nil
	}
	tokens := make([]string, len(badgeIDs))
	for i, b := range badgeIDs {
		tokens[i] = persistence.MintTokenID(b, playerID)
	}
	if _, err := tx.Exec(ctx, queueMintsSQL, playerID, badgeIDs, tokens, now); err != nil {
		return fmt.Errorf("queue mint: %w", err)
	}
	return nil
}

// RevokeBadge implements persistence.BadgeStore.
func (s *Store) RevokeBadge(ctx context.Context, by persistence.AuditActor, playerID, badgeID string) error {
	defer observe("revoke_badge", time.Now())
	if !validID(playerID) || !validID(badgeID) {
		return fmt.Errorf("revoke badge %q from %q: %w", badgeID, playerID, persistence.ErrNotFound)
	}
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		var awardedAt time.Time
		var source string
		err := tx.QueryRow(ctx, `DELETE FROM player_badges WHERE player_id = $1 AND badge_id = $2
			RETURNING awarded_at, source`, playerID, badgeID).Scan(&awardedAt, &source)
		return change(persistence.ActionBadgeRevoke, "player_badge", playerID+":"+badgeID,
			map[string]any{"playerId": playerID, "badgeId": badgeID, "source": source, "awardedAt": awardedAt}, nil), err
	})
	return mapErr(fmt.Sprintf("revoke badge %s from %s", badgeID, playerID), err)
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
