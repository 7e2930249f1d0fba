package postgres

import (
	"context"
	"time"
)

// RevokeFamily implements persistence.TokenStore. The player id is part of
// the filter so a caller can only ever revoke its own sign-ins.
func (s *Store) RevokeFamily(ctx context.Context, playerID, familyID string, now time.Time) error {
	defer observe("revoke_family", time.Now())
	if !validID(playerID) || !validID(familyID) {
		return nil // names no stored family: nothing to revoke
	}
	_, err := s.pool.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $3
		WHERE family_id = $1 AND player_id = $2 AND revoked_at IS NULL`, familyID, playerID, now.UTC())
	return mapErr("revoke token family "+familyID, err)
}

// RevokePlayer implements persistence.TokenStore.
func (s *Store) RevokePlayer(ctx context.Context, playerID string, now time.Time) error {
	defer observe("revoke_player_tokens", time.Now())
	if !validID(playerID) {
		return nil
	}
	_, err := s.pool.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2
		WHERE player_id = $1 AND revoked_at IS NULL`, playerID, now.UTC())
	return mapErr("revoke tokens of "+playerID, err)
}
