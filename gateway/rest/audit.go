package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/proofstell/proofstell/persistence"
)

// AuditDeps serves the audit log of moderator and admin actions.
type AuditDeps struct {
	// Log reads the audit log; nil answers 500 (not configured).
	Log persistence.AuditLog
}

// validAuditWord bounds the action and target kind filters: the log's own
// vocabulary ("badge.award", "player_badge"), nothing a client could use
// to smuggle bytes into a query.
var validAuditWord = regexp.MustCompile(`^[a-z_]{1,32}(\.[a-z_]{1,32}){0,3}$`)

// maxAuditTargetID bounds the target id filter (ids, codes, namespaces).
const maxAuditTargetID = 128

// auditActor is who is calling an admin route, for the store to record
// with the action: the authenticated caller, its client address and the
// request id. Every audited store call of this package passes it.
func (a *api) auditActor(r *http.Request) persistence.AuditActor {
	c, _ := claimsFrom(r.Context())
	return persistence.StaffActor(c.PlayerID, persistence.Role(c.Role), a.clientIPs.of(r), requestID(r.Context()))
}

// auditActorJSON is who acted, as GET /admin/audit shows it.
type auditActorJSON struct {
	Kind     string  `json:"kind"`
	PlayerID *string `json:"playerId"`
	Role     string  `json:"role"`
	Name     string  `json:"name"`
}

// auditEntryJSON is one entry of GET /admin/audit.
type auditEntryJSON struct {
	ID         string          `json:"id"`
	At         time.Time       `json:"at"`
	Actor      auditActorJSON  `json:"actor"`
	Action     string          `json:"action"`
	TargetKind string          `json:"targetKind"`
	TargetID   string          `json:"targetId"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
	ClientIP   string          `json:"clientIp"`
	RequestID  string          `json:"requestId"`
}

// auditResponse is the body of GET /admin/audit.
type auditResponse struct {
	Entries    []auditEntryJSON `json:"entries"`
	NextCursor string           `json:"nextCursor"`
}

// auditRoutes registers the audit log reader (admins only).
func (a *api) auditRoutes(authed chi.Router) {
	authed.With(a.requireRole(persistence.RoleAdmin)).Get("/admin/audit", a.handle(a.listAudit))
}

// listAudit pages the audit log newest first, filtered by actor, action,
// target and time range.
func (a *api) listAudit(w http.ResponseWriter, r *http.Request) error {
	if a.Audit.Log == nil {
		return fmt.Errorf("list audit: %w", errNotConfigured)
	}
	q, err := decodeAuditQuery(r)
	if err != nil {
		return err
	}
	page, err := a.Audit.Log.ListAudit(r.Context(), q)
	if err != nil {
		return fmt.Errorf("list audit: %w", err)
	}
	out := auditResponse{Entries: make([]auditEntryJSON, 0, len(page.Entries)), NextCursor: page.Next}
	for _, e := range page.Entries {
		out.Entries = append(out.Entries, newAuditEntryJSON(e))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// decodeAuditQuery reads and checks the listing's query parameters.
func decodeAuditQuery(r *http.Request) (persistence.AuditQuery, error) {
	limit, err := intParam(r, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return persistence.AuditQuery{}, err
	}
	v := r.URL.Query()
	q := persistence.AuditQuery{Limit: limit, ActorID: v.Get("actorId"), Action: v.Get("action"),
		TargetKind: v.Get("targetKind"), TargetID: v.Get("targetId"), Cursor: v.Get("cursor")}
	switch {
	case q.ActorID != "" && uuid.Validate(q.ActorID) != nil:
		return q, badRequest("actorId must be a player id", "actorId")
	case q.Action != "" && !validAuditWord.MatchString(q.Action):
		return q, badRequest("action is not valid", "action")
	case q.TargetKind != "" && !validAuditWord.MatchString(q.TargetKind):
		return q, badRequest("targetKind is not valid", "targetKind")
	case q.TargetID != "" && q.TargetKind == "":
		return q, badRequest("targetId needs targetKind", "targetId")
	case len(q.TargetID) > maxAuditTargetID || !printable(q.TargetID):
		return q, badRequest("targetId is not valid", "targetId")
	case len(q.Cursor) > maxCursorLen || !printable(q.Cursor):
		return q, badRequest("cursor is not valid", "cursor")
	}
	if q.From, err = auditTime(v, "from"); err != nil {
		return q, err
	}
	if q.To, err = auditTime(v, "to"); err != nil {
		return q, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, badRequest("from must be before to", "from")
	}
	return q, nil
}

// auditTime reads an optional RFC 3339 time parameter.
func auditTime(v url.Values, name string) (time.Time, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, badRequest(name+" must be an RFC 3339 time", name)
	}
	return t.UTC(), nil
}

// newAuditEntryJSON renders an entry; missing before/after are null.
func newAuditEntryJSON(e persistence.AuditEntry) auditEntryJSON {
	out := auditEntryJSON{ID: fmt.Sprint(e.ID), At: e.At.UTC(), Action: e.Action, TargetKind: e.TargetKind,
		TargetID: e.TargetID, Before: e.Before, After: e.After, ClientIP: e.Actor.ClientIP,
		RequestID: e.Actor.RequestID,
		Actor:     auditActorJSON{Kind: string(e.Actor.Kind), Role: string(e.Actor.Role), Name: e.Actor.Name}}
	if e.Actor.PlayerID != "" {
		id := e.Actor.PlayerID
		out.Actor.PlayerID = &id
	}
	if out.Before == nil {
		out.Before = json.RawMessage("null")
	}
	if out.After == nil {
		out.After = json.RawMessage("null")
	}
	return out
}
