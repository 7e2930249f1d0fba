package persistence

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// The audit log is the append-only record of every moderator and admin
// action. How a store method takes part:
//
//   - The edge (gateway/rest, the `proofstell admin` command) builds an
//     AuditActor from the authenticated caller (StaffActor), or the command's
//     OS user (CLIActor), and passes it, explicitly, as the store method's
//     second argument (e.g. BadgeStore.UpdateBadge(ctx, by, id, u)).
//   - The store method reads the target as it was and writes the change in
//     one transaction, and appends one AuditEntry to that same transaction:
//     the action, the target, before and after. A failed action writes no
//     entry; one that changes nothing (an award already held, a cancel of a
//     cancelled challenge) writes none either.
//   - The database refuses UPDATE, DELETE and TRUNCATE of the log.
//
// A new audited action in persistence/postgres runs its write through
// Store.audited (persistence/postgres/audit.go), which does the above;
// action names are "<target kind>.<verb>" (see the Action* constants).

// ActorKind says who acted.
type ActorKind string

// Actor kinds.
const (
	// ActorPlayer is a signed-in moderator or admin (PlayerID and Role set).
	ActorPlayer ActorKind = "player"
	// ActorCLI is the `proofstell admin` command (Name is the OS user).
	ActorCLI ActorKind = "cli"
	// ActorSystem is the node itself or a test's seeding (Name says which part).
	ActorSystem ActorKind = "system"
)

// Audited actions. A store method writes exactly one of them per change.
const (
	ActionPlayerRole            = "player.role"
	ActionPlayerBan             = "player.ban"
	ActionPlayerUnban           = "player.unban"
	ActionBadgeCreate           = "badge.create"
	ActionBadgeUpdate           = "badge.update"
	ActionBadgeDelete           = "badge.delete"
	ActionBadgeAward            = "badge.award"
	ActionBadgeRevoke           = "badge.revoke"
	ActionMintRetry             = "mint.retry"
	ActionFlagClear             = "flag.clear"
	ActionFlagConfirm           = "flag.confirm"
	ActionModeCreate            = "mode.create"
	ActionModeUpdate            = "mode.update"
	ActionChallengeCreate       = "challenge.create"
	ActionChallengeUpdate       = "challenge.update"
	ActionChallengeCancel       = "challenge.cancel"
	ActionLanguageCreate        = "language.create"
	ActionLanguageUpdate        = "language.update"
	ActionLanguageDefault       = "language.set_default"
	ActionTranslationUpsert     = "translation.upsert"
	ActionNotificationBroadcast = "notification.broadcast"
	// ActionSettingsUpdate is any change of the runtime settings (before
	// and after are the stored overrides).
	ActionSettingsUpdate = "settings.update"
	// ActionMaintenanceStart and ActionMaintenanceEnd are written with a
	// settings.update that turns maintenance on or off.
	ActionMaintenanceStart = "maintenance.start"
	ActionMaintenanceEnd   = "maintenance.end"
)

// ErrNoActor is returned (wrapped) by an audited write called without a
// valid AuditActor; nothing is written.
var ErrNoActor = errors.New("audited action without an actor")

// AuditActor is who performed an audited action and from where. The edge
// builds it; stores copy it into the entry unchanged.
type AuditActor struct {
	Kind ActorKind
	// PlayerID and Role are the signed-in caller's (ActorPlayer only).
	PlayerID string
	Role     Role
	// Name is the OS user of the command, or the part of the node.
	Name string
	// ClientIP and RequestID place an HTTP request ("" outside one).
	ClientIP  string
	RequestID string
}

// StaffActor is a signed-in caller of an admin route.
func StaffActor(playerID string, role Role, clientIP, requestID string) AuditActor {
	return AuditActor{Kind: ActorPlayer, PlayerID: playerID, Role: role, ClientIP: clientIP, RequestID: requestID}
}

// CLIActor is the `proofstell admin` command run by osUser.
func CLIActor(osUser string) AuditActor { return AuditActor{Kind: ActorCLI, Name: osUser} }

// SystemActor is the node's own part name (or a test's seeding).
func SystemActor(name string) AuditActor { return AuditActor{Kind: ActorSystem, Name: name} }

// Check reports whether a is complete enough to be recorded: a player
// actor needs its id and a valid role, the others a name.
func (a AuditActor) Check() error {
	switch a.Kind {
	case ActorPlayer:
		if a.PlayerID != "" && a.Role.Valid() {
			return nil
		}
	case ActorCLI, ActorSystem:
		if a.Name != "" {
			return nil
		}
	}
	return ErrNoActor
}

// AuditEntry is one row of the audit log. Before and After are JSON
// ("null" or nil when there was no target before, or is none after).
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      AuditActor
	Action     string
	TargetKind string
	TargetID   string
	Before     json.RawMessage
	After      json.RawMessage
}

// AuditQuery selects entries for the listing; zero fields do not filter.
type AuditQuery struct {
	ActorID    string
	Action     string
	TargetKind string
	TargetID   string // only with TargetKind
	// From and To bound At: From <= At < To.
	From, To time.Time
	Limit    int
	Cursor   string // opaque, from a previous page; "" for the first
}

// AuditPage is one page of entries, newest first, and the cursor of the
// next page ("" at the end).
type AuditPage struct {
	Entries []AuditEntry
	Next    string
}

// AuditLog reads the audit log. Entries are appended only by the audited
// store methods, in their own transactions.
type AuditLog interface {
	// ListAudit returns one page of the entries q selects, newest first
	// (in the order they were appended). ErrBadCursor for a cursor it did
	// not issue.
	ListAudit(ctx context.Context, q AuditQuery) (AuditPage, error)
}
