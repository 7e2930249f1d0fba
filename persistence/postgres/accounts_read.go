package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// accountColumns is the column list scanAccount reads.
const accountColumns = `p.id::text, p.username, p.role, p.created_at,
	c.email, c.password_hash, c.email_verified_at, c.created_at, c.updated_at
	FROM account_credentials c JOIN players p ON p.id = c.player_id`

// AccountByEmail implements persistence.AccountStore.
func (s *Store) AccountByEmail(ctx context.Context, email string) (persistence.Account, error) {
	defer observe("account_by_email", time.Now())
	row := s.pool.QueryRow(ctx, `SELECT `+accountColumns+` WHERE lower(c.email) = lower($1)`, email)
	a, err := scanAccount(row)
	// The address is a secret of its owner: errors never carry it.
	return a, mapErr("account by email", err)
}

// AccountByPlayer implements persistence.AccountStore.
func (s *Store) AccountByPlayer(ctx context.Context, playerID string) (persistence.Account, error) {
	defer observe("account_by_player", time.Now())
	if !validID(playerID) {
		return persistence.Account{}, fmt.Errorf("account of %q: %w", playerID, persistence.ErrNotFound)
	}
	row := s.pool.QueryRow(ctx, `SELECT `+accountColumns+` WHERE c.player_id = $1`, playerID)
	a, err := scanAccount(row)
	return a, mapErr("account of "+playerID, err)
}

// MarkEmailVerified implements persistence.AccountStore.
func (s *Store) MarkEmailVerified(ctx context.Context, playerID string, at time.Time) error {
	defer observe("mark_email_verified", time.Now())
	if !validID(playerID) {
		return fmt.Errorf("mark email verified %q: %w", playerID, persistence.ErrNotFound)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE account_credentials
		SET email_verified_at = coalesce(email_verified_at, $2), updated_at = $3 WHERE player_id = $1`,
		playerID, at.UTC(), s.stamp())
	if err != nil {
		return mapErr("mark email verified "+playerID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("mark email verified %s: %w", playerID, persistence.ErrNotFound)
	}
	return nil
}

// SetPassword implements persistence.AccountStore.
func (s *Store) SetPassword(ctx context.Context, playerID string, hash []byte) error {
	defer observe("set_password", time.Now())
	if !validID(playerID) {
		return fmt.Errorf("set password %q: %w", playerID, persistence.ErrNotFound)
	}
	if len(hash) == 0 {
		return fmt.Errorf("set password %s: empty hash", playerID)
	}
	now := s.stamp()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE account_credentials SET password_hash = $2, updated_at = $3 WHERE player_id = $1`,
			playerID, string(hash), now)
		if err != nil {
			return mapErr("set password "+playerID, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("set password %s: %w", playerID, persistence.ErrNotFound)
		}
		_, err = tx.Exec(ctx, `UPDATE refresh_tokens SET revoked_at = $2 WHERE player_id = $1 AND revoked_at IS NULL`,
			playerID, now)
		return mapErr("revoke sessions on password change "+playerID, err)
	})
}

func scanAccount(row pgx.Row) (persistence.Account, error) {
	var a persistence.Account
	var role, hash string
	var verified *time.Time
	err := row.Scan(&a.Player.ID, &a.Player.Username, &role, &a.Player.CreatedAt,
		&a.Email, &hash, &verified, &a.CreatedAt, &a.UpdatedAt)
	if err != nil {
		return persistence.Account{}, err
	}
	a.Player.Role = persistence.Role(role)
	a.PasswordHash = []byte(hash)
	a.EmailVerifiedAt = timeOrZero(verified)
	return a, nil
}
