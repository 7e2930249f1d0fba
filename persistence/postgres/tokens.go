package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// errTokenReused carries the reuse verdict out of the transaction that must
// still commit the family revocation.
var errTokenReused = errors.New("token reused")

// CreateRefresh implements persistence.TokenStore. An empty ID or FamilyID is
// generated. ErrConflict when the hash or id exists; ErrNotFound when the
// player does not.
func (s *Store) CreateRefresh(ctx context.Context, t persistence.RefreshToken) error {
	defer observe("create_refresh", time.Now())
	if t.ID == "" {
		t.ID = uuid.NewString()
	}
	if t.FamilyID == "" {
		t.FamilyID = uuid.NewString()
	}
	if !validID(t.ID) || !validID(t.FamilyID) || !validID(t.PlayerID) {
		return errors.New("create refresh token: malformed id, family id or player id")
	}
	return s.insertRefresh(ctx, s.pool, t)
}

func (s *Store) insertRefresh(ctx context.Context, q dbtx, t persistence.RefreshToken) error {
	_, err := q.Exec(ctx, `INSERT INTO refresh_tokens (id, family_id, player_id, token_hash, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, t.ID, t.FamilyID, t.PlayerID, t.Hash, t.ExpiresAt, s.stamp())
	return mapErr("create refresh token", err)
}

// storedToken is a refresh_tokens row with its lifecycle columns.
type storedToken struct {
	persistence.RefreshToken
	rotatedAt, revokedAt *time.Time
}

// RotateRefresh implements persistence.TokenStore. The old row is locked
// FOR UPDATE, so two concurrent rotations of one token are serialized and the
// second is treated as reuse (it revokes the family).
func (s *Store) RotateRefresh(ctx context.Context, oldHash []byte, next persistence.RefreshToken, now time.Time) (persistence.RefreshToken, error) {
	defer observe("rotate_refresh", time.Now())
	if next.ID == "" {
		next.ID = uuid.NewString()
	}
	if !validID(next.ID) {
		return persistence.RefreshToken{}, errors.New("rotate refresh token: malformed next id")
	}
	var old storedToken
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		old, err = lockToken(ctx, tx, oldHash)
		if err != nil {
			return err
		}
		return s.rotateLocked(ctx, tx, old, next, now)
	})
	switch {
	case errors.Is(err, errTokenReused):
		return old.RefreshToken, fmt.Errorf("rotate refresh token: family %s revoked: %w", old.FamilyID, persistence.ErrTokenReused)
	case errors.Is(err, persistence.ErrExpired):
		return old.RefreshToken, err
	case err != nil:
		return persistence.RefreshToken{}, err
	}
	return old.RefreshToken, nil
}

// rotateLocked decides the fate of the locked token. On reuse it revokes the
// family (its refresh tokens and, through revoked_token_families, its access
// tokens) and commits that itself before returning errTokenReused, because
// inTx rolls back on any error and the revocation must stick.
func (s *Store) rotateLocked(ctx context.Context, tx pgx.Tx, old storedToken, next persistence.RefreshToken, now time.Time) error {
	switch {
	case old.rotatedAt != nil:
		if err := revokeFamilyIn(ctx, tx, persistence.RevokedFamily{
			FamilyID: old.FamilyID, PlayerID: old.PlayerID, RevokedAt: now,
		}); err != nil {
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("commit family revocation: %w", err)
		}
		return errTokenReused
	case old.revokedAt != nil || !now.Before(old.ExpiresAt):
		return fmt.Errorf("rotate refresh token: %w", persistence.ErrExpired)
	}
	if _, err := tx.Exec(ctx, `UPDATE refresh_tokens SET rotated_at = $2 WHERE id = $1`, old.ID, now); err != nil {
		return mapErr("retire refresh token", err)
	}
	next.FamilyID, next.PlayerID = old.FamilyID, old.PlayerID
	return s.insertRefresh(ctx, tx, next)
}

func lockToken(ctx context.Context, tx pgx.Tx, hash []byte) (storedToken, error) {
	var t storedToken
	err := tx.QueryRow(ctx, `SELECT id::text, family_id::text, player_id::text, token_hash, expires_at, rotated_at, revoked_at
		FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`, hash).
		Scan(&t.ID, &t.FamilyID, &t.PlayerID, &t.Hash, &t.ExpiresAt, &t.rotatedAt, &t.revokedAt)
	return t, mapErr("rotate refresh token", err)
}
