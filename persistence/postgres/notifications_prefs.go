package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// NotificationPreferences implements persistence.NotificationStore.
func (s *Store) NotificationPreferences(ctx context.Context, playerID string) ([]persistence.NotificationPreference, error) {
	defer observe("notification_preferences", time.Now())
	kinds := persistence.NotificationKinds()
	out := make([]persistence.NotificationPreference, 0, len(kinds))
	set := map[string]persistence.NotificationPreference{}
	if validID(playerID) {
		rows, err := s.pool.Query(ctx, `SELECT kind, in_app, email FROM notification_preferences WHERE player_id = $1`,
			playerID)
		if err != nil {
			return nil, mapErr("notification preferences of "+playerID, err)
		}
		prefs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.NotificationPreference, error) {
			var p persistence.NotificationPreference
			err := r.Scan(&p.Kind, &p.InApp, &p.Email)
			return p, err
		})
		if err != nil {
			return nil, mapErr("notification preferences of "+playerID, err)
		}
		for _, p := range prefs {
			set[p.Kind] = p
		}
	}
	for _, k := range kinds {
		p, ok := set[k]
		if !ok {
			p = persistence.NotificationPreference{Kind: k, InApp: true}
		}
		out = append(out, p)
	}
	return out, nil
}

// SetNotificationPreferences implements persistence.NotificationStore.
func (s *Store) SetNotificationPreferences(ctx context.Context, playerID string,
	prefs []persistence.NotificationPreference,
) error {
	defer observe("set_notification_preferences", time.Now())
	if len(prefs) == 0 {
		return nil
	}
	kinds := make([]string, len(prefs))
	inApp, email := make([]bool, len(prefs)), make([]bool, len(prefs))
	for i, p := range prefs {
		kinds[i], inApp[i], email[i] = p.Kind, p.InApp, p.Email
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO notification_preferences (player_id, kind, in_app, email, updated_at)
		SELECT $1, u.kind, u.in_app, u.email, $5
		FROM unnest($2::text[], $3::bool[], $4::bool[]) AS u(kind, in_app, email)
		ON CONFLICT (player_id, kind) DO UPDATE SET in_app = excluded.in_app, email = excluded.email,
			updated_at = excluded.updated_at`, playerID, kinds, inApp, email, s.stamp())
	return mapErr("set notification preferences of "+playerID, err)
}

// EmailRecipients implements persistence.NotificationStore.
func (s *Store) EmailRecipients(ctx context.Context, playerIDs []string, kind string) ([]persistence.EmailRecipient, error) {
	defer observe("email_recipients", time.Now())
	ids := make([]string, 0, len(playerIDs))
	for _, id := range playerIDs {
		if validID(id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT c.player_id::text, c.email, p.username, coalesce(p.language, '')
		FROM account_credentials c
		JOIN players p ON p.id = c.player_id
		JOIN notification_preferences np ON np.player_id = c.player_id AND np.kind = $2 AND np.email
		WHERE c.player_id = ANY($1::uuid[]) AND c.email_verified_at IS NOT NULL
		ORDER BY c.player_id`, ids, kind)
	if err != nil {
		return nil, mapErr("email recipients", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.EmailRecipient, error) {
		var e persistence.EmailRecipient
		err := r.Scan(&e.PlayerID, &e.Email, &e.Username, &e.Language)
		return e, err
	})
	return out, mapErr("email recipients", err)
}

// SetPlayerLanguage implements persistence.NotificationStore.
func (s *Store) SetPlayerLanguage(ctx context.Context, playerID, language string) error {
	defer observe("set_player_language", time.Now())
	if !validID(playerID) || language == "" {
		return nil
	}
	_, err := s.pool.Exec(ctx, `UPDATE players SET language = $2 WHERE id = $1 AND language IS DISTINCT FROM $2`,
		playerID, language)
	return mapErr("set language of "+playerID, err)
}
