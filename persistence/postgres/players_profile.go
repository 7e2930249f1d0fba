package postgres

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// Compile-time conformance of the profile and administration contracts.
var (
	_ persistence.ProfileStore = (*Store)(nil)
	_ persistence.AdminPlayers = (*Store)(nil)
)

// fullPlayerColumns is the select list scanFullPlayer reads.
const fullPlayerColumns = `id::text, username, role, created_at, display_name, avatar, banned_at`

// Admin listing page bounds.
const (
	defaultPlayerPage = 50
	maxPlayerPage     = 200
)

// scanFullPlayer reads a row selected with fullPlayerColumns.
func scanFullPlayer(row pgx.Row) (persistence.Player, error) {
	var p persistence.Player
	var role string
	if err := row.Scan(&p.ID, &p.Username, &role, &p.CreatedAt, &p.DisplayName, &p.Avatar, &p.BannedAt); err != nil {
		return persistence.Player{}, err
	}
	p.Role = persistence.Role(role)
	return p, nil
}

// UpdateProfile implements persistence.ProfileStore. One UPDATE with
// coalesce keeps unchanged fields; the unique index on lower(username)
// turns a taken name into ErrConflict.
func (s *Store) UpdateProfile(ctx context.Context, playerID string, u persistence.ProfileUpdate) (persistence.Player, error) {
	defer observe("update_profile", time.Now())
	if !validID(playerID) {
		return persistence.Player{}, fmt.Errorf("update profile %q: %w", playerID, persistence.ErrNotFound)
	}
	// A rename rewrites the name stored with the player's standings in the
	// same statement, so boards rebuilt from Postgres show the new name; the
	// REST handler then renames the player on the live leaderboard grains
	// (leaderboard.Client.Rename).
	row := s.pool.QueryRow(ctx, `WITH p AS (UPDATE players SET username = coalesce($2, username),
		display_name = coalesce($3, display_name), updated_at = $4
		WHERE id = $1 RETURNING *),
	renamed AS (UPDATE leaderboard_records r SET username = p.username FROM p
		WHERE $2::text IS NOT NULL AND r.player_id = p.id AND r.username <> p.username)
	SELECT `+fullPlayerColumns+` FROM p`, playerID, u.Username, u.DisplayName, s.stamp())
	p, err := scanFullPlayer(row)
	return p, mapErr("update profile "+playerID, err)
}

// SetAvatar implements persistence.ProfileStore. The previous name is read
// under the row lock of the same statement, so two uploads racing each get
// the name the other replaced and no file is orphaned.
func (s *Store) SetAvatar(ctx context.Context, playerID, avatar string) (string, error) {
	defer observe("set_avatar", time.Now())
	if !validID(playerID) {
		return "", fmt.Errorf("set avatar %q: %w", playerID, persistence.ErrNotFound)
	}
	var previous string
	err := s.pool.QueryRow(ctx, `UPDATE players p SET avatar = $2, updated_at = $3
		FROM (SELECT id, avatar FROM players WHERE id = $1 FOR UPDATE) old
		WHERE p.id = old.id RETURNING old.avatar`, playerID, avatar, s.stamp()).Scan(&previous)
	return previous, mapErr("set avatar "+playerID, err)
}

// AdminUpdate implements persistence.AdminPlayers: the row is read under
// its lock, updated, and each aspect that changed (role, ban) is one audit
// entry of the same transaction.
func (s *Store) AdminUpdate(ctx context.Context, by persistence.AuditActor, playerID string, u persistence.AdminUpdate,
	now time.Time) (persistence.Player, error) {
	defer observe("admin_update_player", time.Now())
	if !validID(playerID) {
		return persistence.Player{}, fmt.Errorf("admin update %q: %w", playerID, persistence.ErrNotFound)
	}
	if u.Role != nil && !u.Role.Valid() {
		return persistence.Player{}, fmt.Errorf("admin update %s: unknown role %q", playerID, *u.Role)
	}
	var role *string
	if u.Role != nil {
		r := string(*u.Role)
		role = &r
	}
	var p persistence.Player
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		old, err := scanFullPlayer(tx.QueryRow(ctx, `SELECT `+fullPlayerColumns+` FROM players WHERE id = $1 FOR UPDATE`,
			playerID))
		if err != nil {
			return nil, err
		}
		p, err = scanFullPlayer(tx.QueryRow(ctx, `UPDATE players SET role = coalesce($2, role),
			banned_at = CASE WHEN $3::boolean IS NULL THEN banned_at
			                 WHEN $3 THEN coalesce(banned_at, $4) ELSE NULL END,
			updated_at = $5
			WHERE id = $1 RETURNING `+fullPlayerColumns, playerID, role, u.Banned, now.UTC(), s.stamp()))
		return playerChanges(old, p), err
	})
	return p, mapErr("admin update "+playerID, err)
}

// playerChanges is the audit of an admin update: one entry per aspect that
// changed.
func playerChanges(old, cur persistence.Player) []auditChange {
	var out []auditChange
	if old.Role != cur.Role {
		out = append(out, change(persistence.ActionPlayerRole, "player", cur.ID,
			map[string]string{"role": string(old.Role)}, map[string]string{"role": string(cur.Role)})...)
	}
	if old.Banned() != cur.Banned() {
		action := persistence.ActionPlayerUnban
		if cur.Banned() {
			action = persistence.ActionPlayerBan
		}
		out = append(out, change(action, "player", cur.ID,
			map[string]any{"bannedAt": old.BannedAt}, map[string]any{"bannedAt": cur.BannedAt})...)
	}
	return out
}

// ListPlayers implements persistence.AdminPlayers: keyset pagination on
// (lower(username), id), so a page costs the same wherever it starts.
func (s *Store) ListPlayers(ctx context.Context, q persistence.PlayerQuery) ([]persistence.Player, string, error) {
	defer observe("list_players", time.Now())
	limit := q.Limit
	if limit <= 0 {
		limit = defaultPlayerPage
	}
	limit = min(limit, maxPlayerPage)
	afterName, afterID, err := decodePlayerCursor(q.Cursor)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+fullPlayerColumns+` FROM players
		WHERE ($1 = '' OR lower(username) LIKE $2 || '%' OR id::text = $1)
		  AND ($3 = '' OR (lower(username), id) > ($3, $4::uuid))
		ORDER BY lower(username), id LIMIT $5`,
		q.Text, escapeLike(strings.ToLower(q.Text)), afterName, nullUUID(afterID), limit+1)
	if err != nil {
		return nil, "", mapErr("list players", err)
	}
	page, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.Player, error) { return scanFullPlayer(r) })
	if err != nil {
		return nil, "", mapErr("list players", err)
	}
	if len(page) <= limit {
		return page, "", nil
	}
	page = page[:limit]
	last := page[limit-1]
	return page, encodePlayerCursor(strings.ToLower(last.Username), last.ID), nil
}

// escapeLike quotes LIKE's wildcards so a search is a literal prefix.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// nullUUID is nil for "" so the cursor comparison is never evaluated on it.
func nullUUID(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

// encodePlayerCursor packs the last row's sort key.
func encodePlayerCursor(name, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(id + "|" + name))
}

// decodePlayerCursor unpacks a cursor; "" is the first page.
func decodePlayerCursor(c string) (name, id string, err error) {
	if c == "" {
		return "", "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", fmt.Errorf("list players: %w: %w", persistence.ErrBadCursor, err)
	}
	id, name, ok := strings.Cut(string(raw), "|")
	if !ok || !validID(id) || name == "" {
		return "", "", fmt.Errorf("list players: %w: unknown layout", persistence.ErrBadCursor)
	}
	return name, id, nil
}
