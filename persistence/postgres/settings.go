package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.SettingsStore = (*Store)(nil)

// settingsChannel is the NOTIFY channel of migration 033's trigger.
const settingsChannel = "proofstell_settings"

// LoadSettings implements persistence.SettingsStore.
func (s *Store) LoadSettings(ctx context.Context) (persistence.StoredSettings, error) {
	defer observe("load_settings", time.Now())
	out, err := scanSettings(s.pool.QueryRow(ctx, selectSettings))
	if err != nil {
		return persistence.StoredSettings{}, mapErr("load settings", err)
	}
	return out, nil
}

// SettingsVersion implements persistence.SettingsStore.
func (s *Store) SettingsVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.pool.QueryRow(ctx, `SELECT version FROM runtime_settings WHERE id`).Scan(&v); err != nil {
		return 0, mapErr("read settings version", err)
	}
	return v, nil
}

// UpdateSettings implements persistence.SettingsStore: the change and its
// audit entries (settings.update, and maintenance.start or .end when it
// turns maintenance on or off) are one transaction.
func (s *Store) UpdateSettings(ctx context.Context, by persistence.AuditActor, expectVersion int64, edit persistence.SettingsEdit) (persistence.StoredSettings, error) {
	defer observe("update_settings", time.Now())
	var out persistence.StoredSettings
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		cur, err := scanSettings(tx.QueryRow(ctx, selectSettings+` FOR UPDATE`))
		if err != nil {
			return nil, mapErr("lock settings", err)
		}
		if expectVersion >= 0 && cur.Version != expectVersion {
			return nil, fmt.Errorf("update settings: version %d, not %d: %w", cur.Version, expectVersion, persistence.ErrConflict)
		}
		overrides, err := edit(cur)
		if err != nil {
			return nil, err
		}
		var author *string
		if validID(by.PlayerID) {
			author = &by.PlayerID
		}
		out, err = scanSettings(tx.QueryRow(ctx, `UPDATE runtime_settings
			SET version = version + 1, overrides = $1::jsonb, updated_at = $2, updated_by = $3
			WHERE id RETURNING version, overrides::text, updated_at, updated_by::text`,
			string(overrides), s.now(), author))
		if err != nil {
			return nil, mapErr("update settings", err)
		}
		return settingsChanges(cur.Overrides, out.Overrides), nil
	})
	return out, err
}

// settingsChanges are the audit entries of one settings write: the whole
// overrides before and after, and the maintenance switch when it flipped.
func settingsChanges(before, after []byte) []auditChange {
	changes := change(persistence.ActionSettingsUpdate, "settings", "runtime", json.RawMessage(before), json.RawMessage(after))
	switch was, is := maintenanceOn(before), maintenanceOn(after); {
	case !was && is:
		changes = append(changes, change(persistence.ActionMaintenanceStart, "settings", "maintenance", nil, json.RawMessage(after))...)
	case was && !is:
		changes = append(changes, change(persistence.ActionMaintenanceEnd, "settings", "maintenance", json.RawMessage(before), nil)...)
	}
	return changes
}

// maintenanceOn reads maintenance.enabled from stored overrides (absent:
// off, as the static default is).
func maintenanceOn(overrides []byte) bool {
	var doc struct {
		Maintenance struct {
			Enabled bool `json:"enabled"`
		} `json:"maintenance"`
	}
	_ = json.Unmarshal(overrides, &doc) // the overrides were validated when stored
	return doc.Maintenance.Enabled
}

const selectSettings = `SELECT version, overrides::text, updated_at, updated_by::text FROM runtime_settings WHERE id`

func scanSettings(row pgx.Row) (persistence.StoredSettings, error) {
	var (
		out       persistence.StoredSettings
		overrides string
		by        *string
	)
	if err := row.Scan(&out.Version, &overrides, &out.UpdatedAt, &by); err != nil {
		return persistence.StoredSettings{}, err
	}
	out.Overrides = []byte(overrides)
	if by != nil {
		out.UpdatedBy = *by
	}
	return out, nil
}

// ListenSettings calls changed on every notification of migration 033's
// trigger and after each (re)connection of its listener (a change may have
// passed unheard), until ctx ends; onFailure, when not nil, hears each lost
// connection. changed must not block: the settings holder only signals
// its reload loop.
func (s *Store) ListenSettings(ctx context.Context, changed func(), onFailure func(error)) {
	s.listen(ctx, settingsChannel, "settings", changed, nil, onFailure)
}
