package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.AccountStore = (*Store)(nil)

// maxUsername mirrors the players.username CHECK; the API applies its
// stricter registration rule before the store is reached.
const maxUsername = 64

// accountConflicts names the unique indexes whose violation has a precise
// meaning for accounts.
var accountConflicts = map[string]error{
	"players_username_lower_key":          persistence.ErrUsernameTaken,
	"account_credentials_email_lower_key": persistence.ErrEmailTaken,
	"account_credentials_pkey":            persistence.ErrAlreadyRegistered,
}

// mapAccountErr is mapErr with unique violations resolved to the account
// conflict sentinels.
func mapAccountErr(op string, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation {
		if sentinel, ok := accountConflicts[pgErr.ConstraintName]; ok {
			return fmt.Errorf("%s: %w", op, sentinel)
		}
	}
	return mapErr(op, err)
}

// CreateAccount implements persistence.AccountStore. The player row and the
// credentials are inserted in one transaction, so a taken email leaves no
// orphan player behind.
func (s *Store) CreateAccount(ctx context.Context, a persistence.NewAccount) (persistence.Account, error) {
	defer observe("create_account", time.Now())
	if err := checkNewAccount(a, true); err != nil {
		return persistence.Account{}, err
	}
	now := s.stamp()
	p := persistence.Player{ID: uuid.NewString(), Username: a.Username, Role: persistence.RolePlayer, CreatedAt: now}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO players (id, username, role, created_at) VALUES ($1, $2, $3, $4)`,
			p.ID, p.Username, string(p.Role), p.CreatedAt)
		if err != nil {
			return mapAccountErr("create account player", err)
		}
		if err := insertCredentials(ctx, tx, p.ID, a, now); err != nil {
			return err
		}
		return queueSignedUp(ctx, tx, p.ID, "email", now)
	})
	if err != nil {
		return persistence.Account{}, err
	}
	return persistence.Account{Player: p, Email: a.Email, PasswordHash: a.PasswordHash, CreatedAt: now, UpdatedAt: now}, nil
}

// UpgradeGuest implements persistence.AccountStore. The player row is locked
// first, so two concurrent upgrades of one guest serialize and the second
// finds the credentials (ErrAlreadyRegistered).
func (s *Store) UpgradeGuest(ctx context.Context, playerID string, a persistence.NewAccount) (persistence.Account, error) {
	defer observe("upgrade_guest", time.Now())
	if !validID(playerID) {
		return persistence.Account{}, fmt.Errorf("upgrade guest %q: %w", playerID, persistence.ErrNotFound)
	}
	if err := checkNewAccount(a, false); err != nil {
		return persistence.Account{}, err
	}
	now := s.stamp()
	var p persistence.Player
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if p, err = lockPlayer(ctx, tx, playerID); err != nil {
			return err
		}
		if err = insertCredentials(ctx, tx, playerID, a, now); err != nil {
			return err
		}
		if a.Username != "" && a.Username != p.Username {
			if _, err = tx.Exec(ctx, `UPDATE players SET username = $2 WHERE id = $1`, playerID, a.Username); err != nil {
				return mapAccountErr("rename upgraded guest", err)
			}
			p.Username = a.Username
		}
		_, err = tx.Exec(ctx, `DELETE FROM guest_devices WHERE player_id = $1`, playerID)
		return mapErr("unbind upgraded guest devices", err)
	})
	if err != nil {
		return persistence.Account{}, fmt.Errorf("upgrade guest %s: %w", playerID, err)
	}
	return persistence.Account{Player: p, Email: a.Email, PasswordHash: a.PasswordHash, CreatedAt: now, UpdatedAt: now}, nil
}

func lockPlayer(ctx context.Context, tx pgx.Tx, playerID string) (persistence.Player, error) {
	row := tx.QueryRow(ctx, `SELECT id::text, username, role, created_at FROM players WHERE id = $1 FOR UPDATE`, playerID)
	p, err := scanPlayer(row)
	return p, mapErr("lock player", err)
}

func insertCredentials(ctx context.Context, tx pgx.Tx, playerID string, a persistence.NewAccount, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO account_credentials (player_id, email, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4)`, playerID, a.Email, string(a.PasswordHash), now)
	return mapAccountErr("insert credentials", err)
}

// checkNewAccount rejects what the schema would reject, with a clear error
// instead of a constraint name.
func checkNewAccount(a persistence.NewAccount, usernameRequired bool) error {
	switch {
	case usernameRequired && a.Username == "":
		return errors.New("new account: username is required")
	case len(a.Username) > maxUsername:
		return fmt.Errorf("new account: username longer than %d bytes", maxUsername)
	case len(a.Email) < 3 || len(a.Email) > 254:
		return errors.New("new account: email must be 3..254 bytes")
	case len(a.PasswordHash) == 0:
		return errors.New("new account: password hash is required")
	}
	return nil
}
