package persistence

import (
	"context"
	"time"
)

// StoredSettings is the runtime settings row: the document of overrides
// (a JSON object; internal/settings gives it meaning) and its version,
// which every write increments.
type StoredSettings struct {
	Version   int64
	Overrides []byte
	UpdatedAt time.Time
	// UpdatedBy is the admin who wrote it last; empty for none (never
	// written, or the account is gone).
	UpdatedBy string
}

// SettingsEdit computes the new overrides from the current row inside the
// write's transaction; an error aborts the write and is returned as is.
type SettingsEdit func(current StoredSettings) (overrides []byte, err error)

// SettingsStore keeps the cluster's runtime settings.
//
// The contract:
//   - LoadSettings returns the row; it always exists (migration 032).
//   - SettingsVersion returns only the version: the cheap poll each node
//     runs as the fallback for a missed change notification.
//   - UpdateSettings is one transaction: it locks the row, checks
//     expectVersion (when not negative) against it and fails with
//     ErrConflict on a mismatch, calls edit with the locked row, stores
//     what it returns with the version incremented, the time and by (a
//     player id), and returns the new row. Concurrent updates serialize on
//     the lock, so none is lost. Every committed write notifies every
//     listening node (ListenSettings in persistence/postgres).
type SettingsStore interface {
	LoadSettings(ctx context.Context) (StoredSettings, error)
	SettingsVersion(ctx context.Context) (int64, error)
	UpdateSettings(ctx context.Context, by AuditActor, expectVersion int64, edit SettingsEdit) (StoredSettings, error)
}
