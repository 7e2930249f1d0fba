package rest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/persistence"
)

// maxFlagReason bounds a decision's reason (the column's check).
const maxFlagReason = 500

// FlagDeps serves the review of flagged results (moderators and admins).
type FlagDeps struct {
	// Store lists and decides flags; nil answers 503.
	Store persistence.FlagStore
}

// flagJSON is one flagged result as moderators review it.
type flagJSON struct {
	ID          string           `json:"id"`
	SessionID   string           `json:"sessionId"`
	PlayerID    string           `json:"playerId"`
	Username    string           `json:"username"`
	Mode        string           `json:"mode"`
	ChallengeID *string          `json:"challengeId"`
	Score       int64            `json:"score"`
	Status      string           `json:"status"`
	Evidence    flagEvidenceJSON `json:"evidence"`
	ReplayURL   string           `json:"replayUrl"`
	CreatedAt   time.Time        `json:"createdAt"`
	Decision    *flagDecisionOut `json:"decision"`
}

// flagEvidenceJSON is persistence.FlagEvidence on the wire.
type flagEvidenceJSON struct {
	Reasons          map[string]int       `json:"reasons"`
	Flags            int                  `json:"flags"`
	Hits             int                  `json:"hits"`
	Misses           int                  `json:"misses"`
	MedianReactionMs int64                `json:"medianReactionMs"`
	Reactions        []reactionBucketJSON `json:"reactions"`
	// Consistency is null unless the consistency detector held the result;
	// its stored shape is the wire's (persistence.ConsistencyEvidence).
	Consistency *persistence.ConsistencyEvidence `json:"consistency"`
}

type reactionBucketJSON struct {
	FromMs int32  `json:"fromMs"`
	ToMs   *int32 `json:"toMs"` // null: the open last bucket
	Count  int    `json:"count"`
}

// flagDecisionOut records who decided, when and why.
type flagDecisionOut struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// flagsResponse is the body of GET /admin/flags.
type flagsResponse struct {
	Flags      []flagJSON `json:"flags"`
	NextCursor string     `json:"nextCursor"`
}

// flagDecisionIn is the body of POST /admin/flags/{id}/clear and /confirm.
type flagDecisionIn struct {
	Reason string `json:"reason"`
}

// flagRoutes registers the review routes (moderators and admins).
func (a *api) flagRoutes(r chi.Router) {
	staff := r.With(a.requireRole(persistence.RoleModerator, persistence.RoleAdmin))
	staff.Get("/admin/flags", a.handle(a.listFlags))
	staff.Post("/admin/flags/{id}/clear", a.handle(a.decideFlag(persistence.FlagCleared)))
	staff.Post("/admin/flags/{id}/confirm", a.handle(a.decideFlag(persistence.FlagConfirmed)))
}

// listFlags pages flags of one status (default open), oldest first.
func (a *api) listFlags(w http.ResponseWriter, r *http.Request) error {
	if a.Flags.Store == nil {
		return fmt.Errorf("list flags: %w", errNotConfigured)
	}
	limit, err := intParam(r, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	status := persistence.FlagStatus(q.Get("status"))
	if status == "" {
		status = persistence.FlagOpen
	}
	if !status.Valid() {
		return badRequest("status must be open, cleared or confirmed", "status")
	}
	cursor := q.Get("cursor")
	if len(cursor) > maxCursorLen || !printable(cursor) {
		return badRequest("cursor is not valid", "cursor")
	}
	page, err := a.Flags.Store.ListFlags(r.Context(), persistence.FlagQuery{Status: status, Limit: limit, Cursor: cursor})
	if err != nil {
		return fmt.Errorf("list flags: %w", err)
	}
	out := flagsResponse{Flags: make([]flagJSON, 0, len(page.Flags)), NextCursor: page.Next}
	for _, f := range page.Flags {
		out.Flags = append(out.Flags, newFlagJSON(f))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// decideFlag clears or confirms a flag with the caller as the moderator.
// A flag decided already answers 409 (two moderators at once: one wins).
func (a *api) decideFlag(status persistence.FlagStatus) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if a.Flags.Store == nil {
			return fmt.Errorf("decide flag: %w", errNotConfigured)
		}
		reason, err := readBody(a, w, r, decodeFlagDecision)
		if err != nil {
			return err
		}
		d := persistence.FlagDecision{FlagID: chi.URLParam(r, "id"), By: playerID(r), Reason: reason}
		decide := a.Flags.Store.ConfirmFlag
		if status == persistence.FlagCleared {
			decide = a.Flags.Store.ClearFlag
		}
		f, err := decide(r.Context(), a.auditActor(r), d)
		if err != nil {
			return fmt.Errorf("%s flag %s: %w", status, d.FlagID, err)
		}
		writeJSON(w, http.StatusOK, newFlagJSON(f))
		return nil
	}
}

// decodeFlagDecision reads a decision's body: a reason is required.
func decodeFlagDecision(body io.Reader) (string, error) {
	var req flagDecisionIn
	if err := decodeBody(body, &req); err != nil {
		return "", err
	}
	reason := strings.TrimSpace(req.Reason)
	if reason == "" || utf8.RuneCountInString(reason) > maxFlagReason || !printable(reason) {
		return "", invalid("reason", "reason is required: 1 to 500 printable characters")
	}
	return reason, nil
}

// newFlagJSON renders f; replayUrl points at the session's public replay.
func newFlagJSON(f persistence.Flag) flagJSON {
	out := flagJSON{ID: f.ID, SessionID: f.SessionID, PlayerID: f.PlayerID, Username: f.Username, Mode: f.Mode,
		Score: f.Score, Status: string(f.Status), ReplayURL: "/api/v1/sessions/" + f.SessionID + "/replay",
		CreatedAt: f.CreatedAt.UTC(), Evidence: newFlagEvidenceJSON(f.Evidence)}
	if f.ChallengeID != "" {
		out.ChallengeID = &f.ChallengeID
	}
	if f.Status != persistence.FlagOpen {
		out.Decision = &flagDecisionOut{By: f.DecidedBy, At: f.DecidedAt.UTC(), Reason: f.Reason}
	}
	return out
}

func newFlagEvidenceJSON(e persistence.FlagEvidence) flagEvidenceJSON {
	out := flagEvidenceJSON{Reasons: e.Reasons, Flags: e.Flags, Hits: e.Hits, Misses: e.Misses,
		MedianReactionMs: e.MedianReactionMs, Reactions: make([]reactionBucketJSON, 0, len(e.Reactions))}
	if out.Reasons == nil {
		out.Reasons = map[string]int{}
	}
	for _, b := range e.Reactions {
		rb := reactionBucketJSON{FromMs: b.FromMs, Count: b.Count}
		if b.ToMs > 0 {
			to := b.ToMs
			rb.ToMs = &to
		}
		out.Reactions = append(out.Reactions, rb)
	}
	out.Consistency = e.Consistency
	return out
}
