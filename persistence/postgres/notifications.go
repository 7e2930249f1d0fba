package postgres

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.NotificationStore = (*Store)(nil)

// notificationCols are the columns scanNotification reads, in order.
const notificationCols = `id::text, player_id::text, kind, source_key, title, body, data, created_at, read_at`

// addNotificationsSQL inserts the batch, skipping players that are gone and
// (player, source key) pairs already stored; RETURNING lists only new rows.
const addNotificationsSQL = `INSERT INTO notifications
	(id, player_id, kind, source_key, title, body, data, created_at)
SELECT u.id, u.player_id, u.kind, u.source_key, u.title, u.body, u.data, $8
FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])
	AS u(id, player_id, kind, source_key, title, body, data)
JOIN players p ON p.id = u.player_id
WHERE NOT EXISTS (SELECT 1 FROM notification_preferences np
	WHERE np.player_id = u.player_id AND np.kind = u.kind AND NOT np.in_app)
ON CONFLICT (player_id, source_key) DO NOTHING
RETURNING ` + notificationCols

// AddNotifications implements persistence.NotificationStore.
func (s *Store) AddNotifications(ctx context.Context, ns []persistence.Notification) ([]persistence.Notification, error) {
	defer observe("add_notifications", time.Now())
	if len(ns) == 0 {
		return nil, nil
	}
	var ids, players []uuid.UUID
	var kinds, keys, titles, bodies []string
	var data [][]byte
	for _, n := range ns {
		p, err := uuid.Parse(n.PlayerID)
		if err != nil {
			continue // no such player: skipped like a deleted one
		}
		ids, players = append(ids, uuid.New()), append(players, p)
		kinds, keys = append(kinds, n.Kind), append(keys, n.SourceKey)
		titles, bodies = append(titles, n.Title), append(bodies, n.Body)
		d := []byte(n.Data)
		if len(d) == 0 {
			d = []byte("{}")
		}
		data = append(data, d)
	}
	rows, err := s.pool.Query(ctx, addNotificationsSQL, ids, players, kinds, keys, titles, bodies, data, s.stamp())
	if err != nil {
		return nil, mapErr("add notifications", err)
	}
	stored, err := pgx.CollectRows(rows, scanNotification)
	if err != nil {
		return nil, mapErr("add notifications", err)
	}
	return inInputOrder(ids, stored), nil
}

// inInputOrder sorts stored (RETURNING has no order) like ids.
func inInputOrder(ids []uuid.UUID, stored []persistence.Notification) []persistence.Notification {
	byID := make(map[string]persistence.Notification, len(stored))
	for _, n := range stored {
		byID[n.ID] = n
	}
	out := make([]persistence.Notification, 0, len(stored))
	for _, id := range ids {
		if n, ok := byID[id.String()]; ok {
			out = append(out, n)
		}
	}
	return out
}

// scanNotification reads notificationCols.
func scanNotification(r pgx.CollectableRow) (persistence.Notification, error) {
	var n persistence.Notification
	var readAt *time.Time
	var data []byte
	if err := r.Scan(&n.ID, &n.PlayerID, &n.Kind, &n.SourceKey, &n.Title, &n.Body, &data, &n.CreatedAt,
		&readAt); err != nil {
		return n, err
	}
	n.Data, n.CreatedAt = json.RawMessage(data), n.CreatedAt.UTC()
	if readAt != nil {
		n.ReadAt = readAt.UTC()
	}
	return n, nil
}

// Notifications implements persistence.NotificationStore. The cursor is the
// last row's (created_at, id), so a page is stable under inserts.
func (s *Store) Notifications(ctx context.Context, playerID string, unreadOnly bool, cursor string, limit int,
) (persistence.NotificationPage, error) {
	defer observe("notifications", time.Now())
	page := persistence.NotificationPage{Items: []persistence.Notification{}}
	at, after, err := decodeNotificationCursor(cursor)
	if err != nil {
		return page, err
	}
	if !validID(playerID) || limit <= 0 {
		return page, nil
	}
	op := "notifications of " + playerID
	rows, err := s.pool.Query(ctx, `SELECT `+notificationCols+` FROM notifications
		WHERE player_id = $1 AND (NOT $2 OR read_at IS NULL)
			AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
		ORDER BY created_at DESC, id DESC LIMIT $5`, playerID, unreadOnly, at, after, limit+1)
	if err != nil {
		return page, mapErr(op, err)
	}
	items, err := pgx.CollectRows(rows, scanNotification)
	if err != nil {
		return page, mapErr(op, err)
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = encodeNotificationCursor(last.CreatedAt, last.ID)
	}
	page.Items = items
	err = s.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE player_id = $1 AND read_at IS NULL`,
		playerID).Scan(&page.Unread)
	return page, mapErr(op, err)
}

// encodeNotificationCursor is base64url("<unix micros>_<id>").
func encodeNotificationCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixMicro(), 10) + "_" + id))
}

// decodeNotificationCursor reverses encodeNotificationCursor; "" is the
// first page (nil time).
func decodeNotificationCursor(c string) (*time.Time, string, error) {
	if c == "" {
		return nil, uuid.Nil.String(), nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	micros, id, ok := strings.Cut(string(raw), "_")
	n, perr := strconv.ParseInt(micros, 10, 64)
	if err != nil || !ok || perr != nil || !validID(id) {
		return nil, "", fmt.Errorf("notifications cursor: %w", persistence.ErrBadCursor)
	}
	at := time.UnixMicro(n).UTC()
	return &at, id, nil
}

// MarkNotificationRead implements persistence.NotificationStore.
func (s *Store) MarkNotificationRead(ctx context.Context, playerID, id string) error {
	defer observe("mark_notification_read", time.Now())
	return s.ownNotification(ctx, "read notification "+id, `UPDATE notifications
		SET read_at = coalesce(read_at, $3) WHERE player_id = $1 AND id = $2`, playerID, id)
}

// DeleteNotification implements persistence.NotificationStore.
func (s *Store) DeleteNotification(ctx context.Context, playerID, id string) error {
	defer observe("delete_notification", time.Now())
	return s.ownNotification(ctx, "delete notification "+id,
		`DELETE FROM notifications WHERE player_id = $1 AND id = $2 AND $3::timestamptz IS NOT NULL`, playerID, id)
}

// ownNotification runs sql on one of the player's notifications; no row is
// ErrNotFound.
func (s *Store) ownNotification(ctx context.Context, op, sql, playerID, id string) error {
	if !validID(playerID) || !validID(id) {
		return fmt.Errorf("%s: %w", op, persistence.ErrNotFound)
	}
	tag, err := s.pool.Exec(ctx, sql, playerID, id, s.stamp())
	if err != nil {
		return mapErr(op, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s: %w", op, persistence.ErrNotFound)
	}
	return nil
}

// MarkAllNotificationsRead implements persistence.NotificationStore.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, playerID string) (int, error) {
	defer observe("mark_all_notifications_read", time.Now())
	if !validID(playerID) {
		return 0, nil
	}
	tag, err := s.pool.Exec(ctx, `UPDATE notifications SET read_at = $2 WHERE player_id = $1 AND read_at IS NULL`,
		playerID, s.stamp())
	if err != nil {
		return 0, mapErr("read all notifications of "+playerID, err)
	}
	return int(tag.RowsAffected()), nil
}

// QueueBroadcast implements persistence.NotificationStore.
func (s *Store) QueueBroadcast(ctx context.Context, by persistence.AuditActor, b persistence.Broadcast) (string, error) {
	defer observe("queue_broadcast", time.Now())
	b.ID = uuid.NewString()
	payload, err := json.Marshal(b)
	if err != nil {
		return "", fmt.Errorf("encode broadcast: %w", err)
	}
	err = s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		_, err := tx.Exec(ctx, insertOutboxSQL, []string{persistence.TopicNotifyBroadcast}, []string{b.ID},
			[][]byte{payload}, s.stamp())
		return change(persistence.ActionNotificationBroadcast, "broadcast", b.ID, nil, b), err
	})
	if err != nil {
		return "", mapErr("queue broadcast", err)
	}
	return b.ID, nil
}

// broadcastBatchSQL takes the next limit players of the segment after $1
// by id and stores the broadcast for them; the CTE's last id is the cursor
// even when every one of them already had it. Players who turned the kind
// off in-app are not in the batch, except for admin broadcasts ($11).
const broadcastBatchSQL = `WITH batch AS (
	SELECT p.id FROM players p
	WHERE p.id > $1::uuid AND ($2 = '' OR p.role = $2)
		AND ($3::timestamptz IS NULL OR EXISTS (
			SELECT 1 FROM refresh_tokens t WHERE t.player_id = p.id AND t.created_at >= $3))
		AND ($11 OR NOT EXISTS (SELECT 1 FROM notification_preferences np
			WHERE np.player_id = p.id AND np.kind = $5 AND NOT np.in_app))
	ORDER BY p.id LIMIT $4
), ins AS (
	INSERT INTO notifications (id, player_id, kind, source_key, title, body, data, created_at)
	SELECT gen_random_uuid(), b.id, $5, $6, $7, $8, $9::jsonb, $10 FROM batch b
	ON CONFLICT (player_id, source_key) DO NOTHING
	RETURNING ` + notificationCols + `
)
SELECT ` + notificationCols + `, (SELECT max(id::text) FROM batch) FROM ins
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, (SELECT max(id::text) FROM batch)`

// BroadcastBatch implements persistence.NotificationStore.
func (s *Store) BroadcastBatch(ctx context.Context, b persistence.Broadcast, after string, limit int,
) ([]persistence.Notification, string, error) {
	defer observe("broadcast_batch", time.Now())
	if after == "" {
		after = uuid.Nil.String()
	}
	if !validID(after) || limit <= 0 {
		return nil, "", fmt.Errorf("broadcast batch: bad cursor %q or limit %d", after, limit)
	}
	var since *time.Time
	if !b.Segment.ActiveSince.IsZero() {
		since = &b.Segment.ActiveSince
	}
	kind, key, data, err := broadcastIdentity(b)
	if err != nil {
		return nil, "", fmt.Errorf("broadcast batch: %w", err)
	}
	rows, err := s.pool.Query(ctx, broadcastBatchSQL, after, string(b.Segment.Role), since, limit,
		kind, key, b.Title, b.Body, data, s.stamp(), kind == persistence.KindAdminBroadcast)
	if err != nil {
		return nil, "", mapErr("broadcast batch "+b.ID, err)
	}
	defer rows.Close()
	var out []persistence.Notification
	var last *string
	for rows.Next() {
		var id *string
		n, err := scanBroadcastRow(rows, &id, &last)
		if err != nil {
			return nil, "", mapErr("broadcast batch "+b.ID, err)
		}
		if id != nil {
			out = append(out, n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, "", mapErr("broadcast batch "+b.ID, err)
	}
	if last == nil {
		return out, "", nil
	}
	return out, *last, nil
}

// broadcastIdentity is b's kind, source key and data, defaults filled
// (persistence.Broadcast).
func broadcastIdentity(b persistence.Broadcast) (kind, key string, data []byte, err error) {
	kind, key, data = b.Kind, b.SourceKey, b.Data
	if kind == "" {
		kind = persistence.KindAdminBroadcast
	}
	if key == "" {
		key = "broadcast:" + b.ID
	}
	if len(data) == 0 {
		data, err = json.Marshal(map[string]string{"broadcastId": b.ID})
	}
	return kind, key, data, err
}

// scanBroadcastRow reads one row of broadcastBatchSQL; *id stays nil on the
// trailing cursor-only row.
func scanBroadcastRow(rows pgx.Rows, id **string, last **string) (persistence.Notification, error) {
	var n persistence.Notification
	var player, kind, key, title, body *string
	var data []byte
	var created, readAt *time.Time
	if err := rows.Scan(id, &player, &kind, &key, &title, &body, &data, &created, &readAt, last); err != nil {
		return n, err
	}
	if *id == nil {
		return n, nil
	}
	if player == nil || kind == nil || key == nil || title == nil || body == nil || created == nil {
		return n, errors.New("broadcast row: unexpected null")
	}
	n = persistence.Notification{ID: **id, PlayerID: *player, Kind: *kind, SourceKey: *key, Title: *title,
		Body: *body, Data: data, CreatedAt: created.UTC()}
	return n, nil
}
