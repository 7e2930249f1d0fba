package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/proofstell/proofstell/persistence"
)

// guestNameAttempts bounds retries on a generated username collision; with
// 36^6 names a second collision in a row means something else is wrong.
const guestNameAttempts = 8

const guestAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// errRetryGuest signals a lost race inside the guest transaction.
var errRetryGuest = errors.New("retry guest creation")

// GuestByDevice implements persistence.PlayerStore. The device binding is
// claimed with INSERT … ON CONFLICT DO NOTHING inside the transaction that
// creates the player, so concurrent first calls create one account: losers
// roll back and read the winner's.
func (s *Store) GuestByDevice(ctx context.Context, deviceID string) (persistence.Player, bool, error) {
	defer observe("guest_by_device", time.Now())
	if deviceID == "" || len(deviceID) > 256 {
		return persistence.Player{}, false, fmt.Errorf("guest by device: device id must be 1..256 bytes")
	}
	for attempt := 0; attempt < guestNameAttempts; attempt++ {
		p, err := s.guestOf(ctx, deviceID)
		if err == nil {
			return p, false, nil
		}
		if !errors.Is(err, persistence.ErrNotFound) {
			return persistence.Player{}, false, err
		}
		p, err = s.createGuest(ctx, deviceID)
		if errors.Is(err, errRetryGuest) {
			continue
		}
		if err != nil {
			return persistence.Player{}, false, err
		}
		return p, true, nil
	}
	return persistence.Player{}, false, fmt.Errorf("guest by device: %w: no free username after %d attempts", persistence.ErrConflict, guestNameAttempts)
}

// GuestOfDevice implements persistence.PlayerStore.
func (s *Store) GuestOfDevice(ctx context.Context, deviceID string) (persistence.Player, error) {
	defer observe("guest_of_device", time.Now())
	if deviceID == "" || len(deviceID) > 256 {
		return persistence.Player{}, fmt.Errorf("guest of device: device id must be 1..256 bytes")
	}
	return s.guestOf(ctx, deviceID)
}

func (s *Store) guestOf(ctx context.Context, deviceID string) (persistence.Player, error) {
	row := s.pool.QueryRow(ctx, `SELECT p.id::text, p.username, p.role, p.created_at
		FROM guest_devices g JOIN players p ON p.id = g.player_id WHERE g.device_id = $1`, deviceID)
	p, err := scanPlayer(row)
	return p, mapErr("guest by device", err)
}

// createGuest inserts a player and binds the device in one transaction. It
// returns errRetryGuest when the generated name was taken or another caller
// bound the device first.
func (s *Store) createGuest(ctx context.Context, deviceID string) (persistence.Player, error) {
	return s.createBoundPlayer(ctx, "guest device", "guest", errRetryGuest, func(tx pgx.Tx, p persistence.Player) (pgconn.CommandTag, error) {
		return tx.Exec(ctx, `INSERT INTO guest_devices (device_id, player_id, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (device_id) DO NOTHING`, deviceID, p.ID, p.CreatedAt)
	})
}

// createBoundPlayer inserts a player with a generated name and, in the same
// transaction, binds an identity to it (a device, a wallet) with bind, whose
// insert must do nothing on conflict. It returns retry when the name was
// taken or the identity was bound first by another caller: the caller looks
// the identity up again or tries another name. The sign-up (method) is
// queued for analytics in the same transaction.
func (s *Store) createBoundPlayer(ctx context.Context, what, method string, retry error,
	bind func(tx pgx.Tx, p persistence.Player) (pgconn.CommandTag, error),
) (persistence.Player, error) {
	name, err := guestName()
	if err != nil {
		return persistence.Player{}, err
	}
	p := persistence.Player{ID: uuid.NewString(), Username: name, Role: persistence.RolePlayer, CreatedAt: s.stamp()}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO players (id, username, role, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, p.ID, p.Username, string(p.Role), p.CreatedAt)
		if err != nil {
			return mapErr("create player for "+what, err)
		}
		if tag.RowsAffected() == 0 {
			return retry
		}
		if tag, err = bind(tx, p); err != nil {
			return mapErr("bind "+what, err)
		}
		if tag.RowsAffected() == 0 {
			return retry
		}
		return queueSignedUp(ctx, tx, p.ID, method, p.CreatedAt)
	})
	return p, err
}

// guestName returns "mole_" and six characters from a crypto RNG.
func guestName() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate guest name: %w", err)
	}
	out := []byte("mole_")
	for _, c := range b {
		// 252 is the largest multiple of 36 below 256; the modulo bias of
		// plain c%36 is irrelevant for names, so keep it simple.
		out = append(out, guestAlphabet[int(c)%len(guestAlphabet)])
	}
	return string(out), nil
}

// Player implements persistence.PlayerStore.
func (s *Store) Player(ctx context.Context, id string) (persistence.Player, error) {
	defer observe("player", time.Now())
	if !validID(id) {
		return persistence.Player{}, fmt.Errorf("player %q: %w", id, persistence.ErrNotFound)
	}
	row := s.pool.QueryRow(ctx, `SELECT `+fullPlayerColumns+` FROM players WHERE id = $1`, id)
	p, err := scanFullPlayer(row)
	return p, mapErr("player "+id, err)
}

// playerStatsSQL reads a player's stats and ratings in one probe of each
// table (the ratings as parallel arrays ordered by mode; NULL when none).
const playerStatsSQL = `SELECT coalesce(s.games_played, 0), coalesce(s.best_score, 0), coalesce(s.total_score, 0),
	r.modes, r.mus, r.sigmas, r.matches
FROM players p LEFT JOIN player_stats s ON s.player_id = p.id
CROSS JOIN LATERAL (SELECT array_agg(pr.mode ORDER BY pr.mode) AS modes, array_agg(pr.mu ORDER BY pr.mode) AS mus,
	array_agg(pr.sigma ORDER BY pr.mode) AS sigmas, array_agg(pr.matches ORDER BY pr.mode) AS matches
	FROM player_ratings pr WHERE pr.player_id = p.id AND pr.matches > 0) r
WHERE p.id = $1`

// Stats implements persistence.PlayerStore.
func (s *Store) Stats(ctx context.Context, playerID string) (persistence.PlayerStats, error) {
	defer observe("player_stats", time.Now())
	if !validID(playerID) {
		return persistence.PlayerStats{}, fmt.Errorf("player stats %q: %w", playerID, persistence.ErrNotFound)
	}
	var st persistence.PlayerStats
	var modes []string
	var mus, sigmas []float64
	var matches []int32
	err := s.pool.QueryRow(ctx, playerStatsSQL, playerID).
		Scan(&st.GamesPlayed, &st.BestScore, &st.TotalScore, &modes, &mus, &sigmas, &matches)
	if err != nil {
		return persistence.PlayerStats{}, mapErr("player stats "+playerID, err)
	}
	st.Ratings, err = modeRatings(modes, mus, sigmas, matches)
	return st, mapErr("player stats "+playerID, err)
}

func scanPlayer(row pgx.Row) (persistence.Player, error) {
	var p persistence.Player
	var role string
	if err := row.Scan(&p.ID, &p.Username, &role, &p.CreatedAt); err != nil {
		return persistence.Player{}, err
	}
	p.Role = persistence.Role(role)
	return p, nil
}
