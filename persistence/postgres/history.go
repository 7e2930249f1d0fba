package postgres

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// History page sizes: a caller asking for nothing or too much gets a sane page.
const (
	defaultHistoryLimit = 20
	maxHistoryLimit     = 100
)

// historyCursor is the keyset position after the last row of a page: the
// session's creation time (microseconds, PostgreSQL's precision) and id.
type historyCursor struct {
	createdAt time.Time
	id        string
}

func (c historyCursor) encode() string {
	raw := strconv.FormatInt(c.createdAt.UnixMicro(), 10) + "|" + c.id
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCursor(s string) (historyCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return historyCursor{}, fmt.Errorf("%w: %w", persistence.ErrBadCursor, err)
	}
	micros, id, ok := strings.Cut(string(raw), "|")
	if !ok || !validID(id) {
		return historyCursor{}, fmt.Errorf("%w: unknown layout", persistence.ErrBadCursor)
	}
	us, err := strconv.ParseInt(micros, 10, 64)
	if err != nil {
		return historyCursor{}, fmt.Errorf("%w: %w", persistence.ErrBadCursor, err)
	}
	return historyCursor{createdAt: time.UnixMicro(us).UTC(), id: id}, nil
}

// PlayerSessions implements persistence.SessionStore. History holds the
// committed games (session_players rows), newest first by session creation,
// ties broken by id. A malformed cursor is persistence.ErrBadCursor.
func (s *Store) PlayerSessions(ctx context.Context, playerID string, limit int, cursor string) ([]persistence.SessionSummary, string, error) {
	defer observe("player_sessions", time.Now())
	if limit <= 0 {
		limit = defaultHistoryLimit
	}
	limit = min(limit, maxHistoryLimit)
	if !validID(playerID) {
		return nil, "", nil
	}
	var after *historyCursor
	if cursor != "" {
		c, err := decodeCursor(cursor)
		if err != nil {
			return nil, "", fmt.Errorf("player sessions: %w", err)
		}
		after = &c
	}
	page, err := s.historyPage(ctx, playerID, limit+1, after)
	if err != nil {
		return nil, "", err
	}
	if len(page) <= limit {
		return page, "", nil
	}
	page = page[:limit]
	last := page[limit-1]
	return page, historyCursor{createdAt: last.CreatedAt, id: last.ID}.encode(), nil
}

func (s *Store) historyPage(ctx context.Context, playerID string, n int, after *historyCursor) ([]persistence.SessionSummary, error) {
	var afterAt *time.Time
	var afterID *string
	if after != nil {
		afterAt, afterID = &after.createdAt, &after.id
	}
	rows, err := s.pool.Query(ctx, `SELECT s.id::text, s.mode, s.kind, s.state, sp.score, sp.flagged, sp.session_created_at, s.ended_at
		FROM session_players sp JOIN sessions s ON s.id = sp.session_id
		WHERE sp.player_id = $1
		  AND ($2::timestamptz IS NULL OR (sp.session_created_at, sp.session_id) < ($2, $3::uuid))
		ORDER BY sp.session_created_at DESC, sp.session_id DESC
		LIMIT $4`, playerID, afterAt, afterID, n)
	if err != nil {
		return nil, mapErr("player sessions", err)
	}
	page, err := pgx.CollectRows(rows, scanSummary)
	if err != nil {
		return nil, mapErr("player sessions", err)
	}
	return page, nil
}

func scanSummary(r pgx.CollectableRow) (persistence.SessionSummary, error) {
	var sum persistence.SessionSummary
	var kind, state string
	var ended *time.Time
	err := r.Scan(&sum.ID, &sum.Mode, &kind, &state, &sum.Score, &sum.Flagged, &sum.CreatedAt, &ended)
	sum.Kind, sum.State, sum.EndedAt = persistence.SessionKind(kind), persistence.SessionState(state), timeOrZero(ended)
	return sum, err
}
