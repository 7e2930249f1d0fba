package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// CreateEmailToken implements persistence.AccountStore.
func (s *Store) CreateEmailToken(ctx context.Context, t persistence.EmailToken) error {
	defer observe("create_email_token", time.Now())
	if !validID(t.PlayerID) {
		return fmt.Errorf("create email token for %q: %w", t.PlayerID, persistence.ErrNotFound)
	}
	if !validPurpose(t.Purpose) || len(t.Hash) != 32 {
		return fmt.Errorf("create email token: bad purpose %q or hash length %d", t.Purpose, len(t.Hash))
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO email_tokens (token_hash, player_id, purpose, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5)`, t.Hash, t.PlayerID, string(t.Purpose), t.ExpiresAt.UTC(), s.stamp())
	return mapErr("create email token", err)
}

// EmailToken implements persistence.AccountStore.
func (s *Store) EmailToken(ctx context.Context, hash []byte, purpose persistence.TokenPurpose, now time.Time) (persistence.EmailToken, error) {
	defer observe("email_token", time.Now())
	t, err := readEmailToken(ctx, s.pool, hash, purpose, "")
	if err != nil {
		return persistence.EmailToken{}, err
	}
	return t, usable(t, now)
}

// ConsumeEmailToken implements persistence.AccountStore. The row is locked
// FOR UPDATE, so of two concurrent consumers the second sees it used.
func (s *Store) ConsumeEmailToken(ctx context.Context, hash []byte, purpose persistence.TokenPurpose, now time.Time) (persistence.EmailToken, error) {
	defer observe("consume_email_token", time.Now())
	var t persistence.EmailToken
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if t, err = readEmailToken(ctx, tx, hash, purpose, " FOR UPDATE"); err != nil {
			return err
		}
		if err = usable(t, now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE email_tokens SET used_at = $3
			WHERE player_id = $1 AND purpose = $2 AND used_at IS NULL`, t.PlayerID, string(purpose), now.UTC())
		return mapErr("consume email token", err)
	})
	if err != nil {
		return persistence.EmailToken{}, err
	}
	t.UsedAt = now.UTC()
	return t, nil
}

func readEmailToken(ctx context.Context, q dbtx, hash []byte, purpose persistence.TokenPurpose, lock string) (persistence.EmailToken, error) {
	t := persistence.EmailToken{Purpose: purpose}
	var used *time.Time
	err := q.QueryRow(ctx, `SELECT token_hash, player_id::text, expires_at, used_at FROM email_tokens
		WHERE token_hash = $1 AND purpose = $2`+lock, hash, string(purpose)).Scan(&t.Hash, &t.PlayerID, &t.ExpiresAt, &used)
	if err != nil {
		return persistence.EmailToken{}, mapErr("email token", err)
	}
	t.UsedAt = timeOrZero(used)
	return t, nil
}

// errTokenUsed is reported as ErrNotFound: a used token is as good as none.
var errTokenUsed = errors.New("email token already used")

// usable checks a token may still be used at now.
func usable(t persistence.EmailToken, now time.Time) error {
	switch {
	case !t.UsedAt.IsZero():
		return fmt.Errorf("%w: %w", errTokenUsed, persistence.ErrNotFound)
	case !now.Before(t.ExpiresAt):
		return fmt.Errorf("email token: %w", persistence.ErrExpired)
	}
	return nil
}

func validPurpose(p persistence.TokenPurpose) bool {
	return p == persistence.PurposeVerifyEmail || p == persistence.PurposeResetPassword
}
