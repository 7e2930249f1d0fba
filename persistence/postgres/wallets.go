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

var _ persistence.WalletStore = (*Store)(nil)

// errRetryWallet signals a lost race inside the wallet sign-up transaction.
var errRetryWallet = errors.New("retry wallet sign-up")

// SignInWallet implements persistence.WalletStore. Like GuestByDevice, the
// wallet binding is claimed with INSERT … ON CONFLICT DO NOTHING in the
// transaction that creates the player, so concurrent first sign-ins create
// one account: losers roll back and read the winner's.
func (s *Store) SignInWallet(ctx context.Context, chain persistence.Chain, address string) (persistence.Player, bool, error) {
	defer observe("sign_in_wallet", time.Now())
	if err := checkWallet(chain, address); err != nil {
		return persistence.Player{}, false, err
	}
	for attempt := 0; attempt < guestNameAttempts; attempt++ {
		id, err := s.WalletOwner(ctx, chain, address)
		if err == nil {
			p, err := s.Player(ctx, id)
			return p, false, err
		}
		if !errors.Is(err, persistence.ErrNotFound) {
			return persistence.Player{}, false, err
		}
		p, err := s.createWalletPlayer(ctx, chain, address)
		if errors.Is(err, errRetryWallet) {
			continue
		}
		if err != nil {
			return persistence.Player{}, false, err
		}
		return p, true, nil
	}
	return persistence.Player{}, false, fmt.Errorf("sign in wallet: %w: no free username after %d attempts",
		persistence.ErrConflict, guestNameAttempts)
}

// WalletPlayer implements persistence.WalletStore.
func (s *Store) WalletPlayer(ctx context.Context, chain persistence.Chain, address string) (persistence.Player, error) {
	defer observe("wallet_player", time.Now())
	if err := checkWallet(chain, address); err != nil {
		return persistence.Player{}, err
	}
	id, err := s.WalletOwner(ctx, chain, address)
	if err != nil {
		return persistence.Player{}, err
	}
	return s.Player(ctx, id)
}

// createWalletPlayer inserts a player and binds the wallet in one
// transaction; errRetryWallet when the generated name was taken or another
// caller bound the wallet first.
func (s *Store) createWalletPlayer(ctx context.Context, chain persistence.Chain, address string) (persistence.Player, error) {
	return s.createBoundPlayer(ctx, "wallet", "wallet", errRetryWallet, func(tx pgx.Tx, p persistence.Player) (pgconn.CommandTag, error) {
		return tx.Exec(ctx, `INSERT INTO player_wallets (chain, address, player_id, linked_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (chain, address) DO NOTHING`, string(chain), address, p.ID, p.CreatedAt)
	})
}

// WalletOwner implements persistence.WalletStore.
func (s *Store) WalletOwner(ctx context.Context, chain persistence.Chain, address string) (string, error) {
	defer observe("wallet_owner", time.Now())
	var id string
	err := s.pool.QueryRow(ctx, `SELECT player_id::text FROM player_wallets WHERE chain = $1 AND address = $2`,
		string(chain), address).Scan(&id)
	return id, mapErr("wallet owner", err)
}

// LinkWallet implements persistence.WalletStore. A new link also queues
// the mint requests of the player's mintable badges awarded before any
// wallet (queueMints), in the link's transaction. That transaction first
// locks the player row FOR UPDATE, which conflicts with the FOR KEY SHARE
// an award's foreign key takes: a concurrent AwardBadge either commits
// before the link reads the awards, or inserts after the link commits and
// then sees the wallet, so no award of a mintable badge is left without
// its request. A concurrent link of the same wallet by another player
// loses on the primary key and reads as ErrConflict.
func (s *Store) LinkWallet(ctx context.Context, playerID string, chain persistence.Chain, address string) (persistence.Wallet, error) {
	defer observe("link_wallet", time.Now())
	if err := checkWallet(chain, address); err != nil {
		return persistence.Wallet{}, err
	}
	id, err := uuid.Parse(playerID)
	if err != nil {
		return persistence.Wallet{}, fmt.Errorf("link wallet to %q: %w", playerID, persistence.ErrNotFound)
	}
	w := persistence.Wallet{Chain: chain, Address: address, PlayerID: playerID, LinkedAt: s.stamp()}
	linked := false
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT true FROM players WHERE id = $1 FOR UPDATE`, id).Scan(&ok); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO player_wallets (chain, address, player_id, linked_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (chain, address) DO NOTHING`, string(chain), address, id, w.LinkedAt)
		if err != nil {
			return err
		}
		if linked = tag.RowsAffected() == 1; !linked {
			return nil
		}
		if err := queueFact(ctx, tx, persistence.TopicWalletLinked, walletKey(playerID, chain, address),
			persistence.WalletLinkedEvent{PlayerID: playerID, Chain: string(chain), At: w.LinkedAt}, w.LinkedAt); err != nil {
			return err
		}
		return queueUnmintedAwards(ctx, tx, id.String(), w.LinkedAt)
	})
	if err != nil {
		return persistence.Wallet{}, mapErr("link wallet", err)
	}
	if linked {
		return w, nil
	}
	existing, err := scanWallet(s.pool.QueryRow(ctx, `SELECT chain, address, player_id::text, linked_at
		FROM player_wallets WHERE chain = $1 AND address = $2`, string(chain), address))
	if err != nil {
		return persistence.Wallet{}, mapErr("link wallet", err)
	}
	if existing.PlayerID != playerID {
		return persistence.Wallet{}, fmt.Errorf("link wallet: owned by another player: %w", persistence.ErrConflict)
	}
	return existing, nil
}

// queueUnmintedAwards queues mint requests for the player's awarded
// mintable badges that have none yet: linking makes them mintable.
func queueUnmintedAwards(ctx context.Context, tx pgx.Tx, playerID string, now time.Time) error {
	rows, err := tx.Query(ctx, `SELECT pb.badge_id::text FROM player_badges pb JOIN badges b ON b.id = pb.badge_id
		WHERE pb.player_id = $1 AND b.mintable AND NOT EXISTS
			(SELECT 1 FROM mint_requests m WHERE m.player_id = pb.player_id AND m.badge_id = pb.badge_id)
		ORDER BY pb.awarded_at, pb.badge_id`, playerID)
	if err != nil {
		return fmt.Errorf("unminted awards: %w", err)
	}
	badgeIDs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("unminted awards: %w", err)
	}
	return queueMints(ctx, tx, playerID, badgeIDs, now)
}

// Wallets implements persistence.WalletStore.
func (s *Store) Wallets(ctx context.Context, playerID string) ([]persistence.Wallet, error) {
	defer observe("wallets", time.Now())
	out := []persistence.Wallet{}
	if !validID(playerID) {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT chain, address, player_id::text, linked_at FROM player_wallets
		WHERE player_id = $1 ORDER BY linked_at, chain, address`, playerID)
	if err != nil {
		return nil, mapErr("wallets of "+playerID, err)
	}
	defer rows.Close()
	for rows.Next() {
		w, err := scanWallet(rows)
		if err != nil {
			return nil, mapErr("wallets of "+playerID, err)
		}
		out = append(out, w)
	}
	return out, mapErr("wallets of "+playerID, rows.Err())
}

func scanWallet(row pgx.Row) (persistence.Wallet, error) {
	var w persistence.Wallet
	var chain string
	if err := row.Scan(&chain, &w.Address, &w.PlayerID, &w.LinkedAt); err != nil {
		return persistence.Wallet{}, err
	}
	w.Chain = persistence.Chain(chain)
	return w, nil
}

// checkWallet rejects an unknown chain or empty address before SQL does.
func checkWallet(chain persistence.Chain, address string) error {
	if !chain.Valid() || address == "" || len(address) > 66 {
		return fmt.Errorf("wallet %s/%.80q: unsupported chain or address", chain, address)
	}
	return nil
}
