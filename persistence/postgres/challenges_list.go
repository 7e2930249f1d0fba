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

// Challenge page sizes.
const (
	defaultChallengeLimit = 20
	maxChallengeLimit     = 100
)

// challengeOrder is how one status lists: its filter at $1 (now), the time
// column it is ordered by, and the direction. The keyset continues after
// ($2 time, $3 id) in that order.
type challengeOrder struct {
	where, column string
	ascending     bool
}

var challengeOrders = map[persistence.ChallengeStatus]challengeOrder{
	persistence.ChallengeActive:    {"c.cancelled_at IS NULL AND c.starts_at <= $1 AND c.ends_at > $1", "ends_at", true},
	persistence.ChallengeUpcoming:  {"c.cancelled_at IS NULL AND c.starts_at > $1", "starts_at", true},
	persistence.ChallengeEnded:     {"c.cancelled_at IS NULL AND c.ends_at <= $1", "ends_at", false},
	persistence.ChallengeCancelled: {"c.cancelled_at IS NOT NULL AND $1::timestamptz IS NOT NULL", "ends_at", false},
	"":                             {"$1::timestamptz IS NOT NULL", "ends_at", false},
}

func (o challengeOrder) sql(after bool) string {
	q := challengeSelect + " WHERE " + o.where
	cmp, dir := "<", "DESC"
	if o.ascending {
		cmp, dir = ">", "ASC"
	}
	limit := "$2"
	if after {
		q += fmt.Sprintf(" AND (c.%s, c.id) %s ($2, $3)", o.column, cmp)
		limit = "$4"
	}
	return q + fmt.Sprintf(" ORDER BY c.%s %s, c.id %s LIMIT %s", o.column, dir, dir, limit)
}

func (o challengeOrder) key(c persistence.Challenge) time.Time {
	if o.column == "starts_at" {
		return c.StartsAt
	}
	return c.EndsAt
}

// challengeCursor is the keyset position after a page's last row, tied to
// the status it lists so a cursor of one listing cannot continue another.
type challengeCursor struct {
	status persistence.ChallengeStatus
	at     time.Time
	id     string
}

func (c challengeCursor) encode() string {
	raw := string(c.status) + "|" + strconv.FormatInt(c.at.UnixMicro(), 10) + "|" + c.id
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeChallengeCursor(s string, status persistence.ChallengeStatus) (challengeCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return challengeCursor{}, fmt.Errorf("%w: %w", persistence.ErrBadCursor, err)
	}
	parts := strings.SplitN(string(raw), "|", 3)
	if len(parts) != 3 || persistence.ChallengeStatus(parts[0]) != status || parts[2] == "" {
		return challengeCursor{}, fmt.Errorf("%w: unknown layout", persistence.ErrBadCursor)
	}
	us, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return challengeCursor{}, fmt.Errorf("%w: %w", persistence.ErrBadCursor, err)
	}
	return challengeCursor{status: status, at: time.UnixMicro(us).UTC(), id: parts[2]}, nil
}

// Challenges implements persistence.ChallengeStore.
func (s *Store) Challenges(ctx context.Context, page persistence.ChallengePage) ([]persistence.Challenge, string, error) {
	defer observe("challenges", time.Now())
	order, ok := challengeOrders[page.Status]
	if !ok {
		return nil, "", fmt.Errorf("list challenges: unknown status %q", page.Status)
	}
	limit := page.Limit
	if limit <= 0 {
		limit = defaultChallengeLimit
	}
	limit = min(limit, maxChallengeLimit)
	now := page.Now
	if now.IsZero() {
		now = s.now()
	}
	args := []any{now, limit + 1}
	if page.Cursor != "" {
		c, err := decodeChallengeCursor(page.Cursor, page.Status)
		if err != nil {
			return nil, "", fmt.Errorf("list challenges: %w", err)
		}
		args = []any{now, c.at, c.id, limit + 1}
	}
	rows, err := s.pool.Query(ctx, order.sql(page.Cursor != ""), args...)
	if err != nil {
		return nil, "", mapErr("list challenges", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.Challenge, error) { return scanChallenge(r) })
	if err != nil {
		return nil, "", mapErr("list challenges", err)
	}
	if len(list) <= limit {
		return list, "", nil
	}
	list = list[:limit]
	last := list[limit-1]
	return list, challengeCursor{status: page.Status, at: order.key(last), id: last.ID}.encode(), nil
}
