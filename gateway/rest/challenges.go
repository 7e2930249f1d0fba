package rest

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/persistence"
)

// ChallengeDeps is what the challenge routes need. A nil Store answers
// every challenge route with 500 (not configured), like the other optional
// slices.
type ChallengeDeps struct {
	Store persistence.ChallengeStore
	// NewID returns the id of a challenge created without one; nil draws
	// "c-" and 8 random base32 characters.
	NewID func() string
}

// challengeJSON is a challenge as clients see it.
type challengeJSON struct {
	ID          string         `json:"id"`
	Kind        string         `json:"kind"`
	Status      string         `json:"status"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Mode        string         `json:"mode"`
	Rules       modeJSON       `json:"rules"`
	Overrides   map[string]any `json:"overrides"`
	StartsAt    time.Time      `json:"startsAt"`
	EndsAt      time.Time      `json:"endsAt"`
	MaxAttempts int            `json:"maxAttempts"`
	RewardBadge *string        `json:"rewardBadge"`
	RewardTop   int            `json:"rewardTop"`
	CancelledAt *time.Time     `json:"cancelledAt"`
}

// challengesResponse is the body of GET /challenges.
type challengesResponse struct {
	Challenges []challengeJSON `json:"challenges"`
	NextCursor string          `json:"nextCursor"`
}

// challengeMeResponse is the body of GET /challenges/{id}/me: best and
// rank are null until the player has a finished attempt on the board.
type challengeMeResponse struct {
	AttemptsUsed int    `json:"attemptsUsed"`
	AttemptsLeft int    `json:"attemptsLeft"`
	Best         *int64 `json:"best"`
	Rank         *int   `json:"rank"`
}

// localChallengeJSON renders c in the request's language: title and
// description are translations keyed <id>.title and <id>.description in
// the challenges namespace (written by admins through the bulk route).
func localChallengeJSON(r *http.Request, c persistence.Challenge, now time.Time) challengeJSON {
	out := newChallengeJSON(c, now)
	l := localeOf(r.Context())
	out.Title = l.text("challenges", c.ID+".title", c.Title)
	out.Description = l.text("challenges", c.ID+".description", c.Description)
	out.Rules = newModeJSON(l, c.Rules)
	return out
}

func newChallengeJSON(c persistence.Challenge, now time.Time) challengeJSON {
	out := challengeJSON{ID: c.ID, Kind: string(c.Kind), Status: string(c.StatusAt(now)), Title: c.Title,
		Description: c.Description, Mode: c.Mode, Rules: newModeJSON(locale{}, c.Rules), Overrides: overridesOf(c.Overrides),
		StartsAt: c.StartsAt.UTC(), EndsAt: c.EndsAt.UTC(), MaxAttempts: c.MaxAttempts, RewardTop: c.RewardTop}
	if c.RewardBadge != "" {
		out.RewardBadge = &c.RewardBadge
	}
	if !c.CancelledAt.IsZero() {
		t := c.CancelledAt.UTC()
		out.CancelledAt = &t
	}
	return out
}

// overridesOf renders overrides in PATCH /admin/modes' field names.
func overridesOf(u persistence.ModeUpdate) map[string]any {
	out := map[string]any{}
	put := func(name string, set bool, v func() any) {
		if set {
			out[name] = v()
		}
	}
	put("level", u.Level != nil, func() any { return *u.Level })
	put("rows", u.Rows != nil, func() any { return *u.Rows })
	put("cols", u.Cols != nil, func() any { return *u.Cols })
	put("durationMs", u.Duration != nil, func() any { return u.Duration.Milliseconds() })
	put("spawnIntervalMs", u.SpawnInterval != nil, func() any { return u.SpawnInterval.Milliseconds() })
	put("visibleMs", u.Visible != nil, func() any { return u.Visible.Milliseconds() })
	put("molesAtOnce", u.MaxMolesUp != nil, func() any { return *u.MaxMolesUp })
	put("hitPoints", u.HitPoints != nil, func() any { return *u.HitPoints })
	put("goldenChance", u.GoldenChance != nil, func() any { return *u.GoldenChance })
	put("goldenPoints", u.GoldenPoints != nil, func() any { return *u.GoldenPoints })
	put("bombChance", u.BombChance != nil, func() any { return *u.BombChance })
	put("bombPenalty", u.BombPenalty != nil, func() any { return *u.BombPenalty })
	put("countdownMs", u.Countdown != nil, func() any { return u.Countdown.Milliseconds() })
	put("maxPlayers", u.MaxPlayers != nil, func() any { return *u.MaxPlayers })
	return out
}

// challengeRoutes registers the challenge routes: listings are public, the
// caller's standing needs a token, edits need the admin role. routes calls
// it once from each group with the other router nil.
func (a *api) challengeRoutes(public, authed chi.Router) {
	if public != nil {
		public.Get("/challenges", a.handle(a.listChallenges))
		public.Get("/challenges/{id}", a.handle(a.getChallenge))
	}
	if authed == nil {
		return
	}
	authed.Get("/challenges/{id}/me", a.handle(a.myChallenge))
	authed.Group(func(r chi.Router) {
		r.Use(a.requireRole(persistence.RoleAdmin))
		r.Post("/admin/challenges", a.handle(a.adminCreateChallenge))
		r.Patch("/admin/challenges/{id}", a.handle(a.adminUpdateChallenge))
		r.Post("/admin/challenges/{id}/cancel", a.handle(a.adminCancelChallenge))
	})
}

func (a *api) challengeStore(op string) (persistence.ChallengeStore, error) {
	if a.Challenges.Store == nil {
		return nil, fmt.Errorf("%s: %w", op, errNotConfigured)
	}
	return a.Challenges.Store, nil
}

// challengeStatuses maps ?status to the store's listing ("past" is ended).
var challengeStatuses = map[string]persistence.ChallengeStatus{
	"":         persistence.ChallengeActive,
	"active":   persistence.ChallengeActive,
	"upcoming": persistence.ChallengeUpcoming,
	"past":     persistence.ChallengeEnded,
}

// listChallenges serves a page of active (soonest ending first), upcoming
// (soonest starting first) or past (latest ended first) challenges.
func (a *api) listChallenges(w http.ResponseWriter, r *http.Request) error {
	store, err := a.challengeStore("list challenges")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	status, ok := challengeStatuses[q.Get("status")]
	if !ok {
		return badRequest("status must be active, upcoming or past", "status")
	}
	limit, err := intParam(r, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return err
	}
	cursor := q.Get("cursor")
	if len(cursor) > maxCursorLen || !printable(cursor) {
		return badRequest("cursor is not valid", "cursor")
	}
	now := a.now()
	list, next, err := store.Challenges(r.Context(), persistence.ChallengePage{Status: status, Now: now, Limit: limit, Cursor: cursor})
	if err != nil {
		return fmt.Errorf("list challenges: %w", err)
	}
	out := challengesResponse{Challenges: make([]challengeJSON, 0, len(list)), NextCursor: next}
	for _, c := range list {
		out.Challenges = append(out.Challenges, localChallengeJSON(r, c, now))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getChallenge serves one challenge (404 unknown).
func (a *api) getChallenge(w http.ResponseWriter, r *http.Request) error {
	c, err := a.findChallenge(r, "get challenge")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, localChallengeJSON(r, c, a.now()))
	return nil
}

func (a *api) findChallenge(r *http.Request, op string) (persistence.Challenge, error) {
	store, err := a.challengeStore(op)
	if err != nil {
		return persistence.Challenge{}, err
	}
	id := chi.URLParam(r, "id")
	if !standings.ValidChallengeID(id) {
		return persistence.Challenge{}, newError(http.StatusNotFound, CodeNotFound, "unknown challenge")
	}
	c, err := store.Challenge(r.Context(), id)
	if errors.Is(err, persistence.ErrNotFound) {
		return c, newError(http.StatusNotFound, CodeNotFound, "unknown challenge")
	}
	if err != nil {
		return c, fmt.Errorf("%s %s: %w", op, id, err)
	}
	return c, nil
}

// myChallenge serves the caller's attempts, best score and rank on the
// challenge's board (the live board, as /leaderboards/{board}/me reads it).
func (a *api) myChallenge(w http.ResponseWriter, r *http.Request) error {
	c, err := a.findChallenge(r, "my challenge")
	if err != nil {
		return err
	}
	me := playerID(r)
	attempts, err := a.Challenges.Store.PlayerAttempts(r.Context(), c.ID, me)
	if err != nil {
		return fmt.Errorf("my challenge %s: %w", c.ID, err)
	}
	out := challengeMeResponse{AttemptsUsed: len(attempts), AttemptsLeft: max(c.MaxAttempts-len(attempts), 0)}
	for _, at := range attempts {
		if at.Finished && (out.Best == nil || at.Score > *out.Best) {
			score := at.Score
			out.Best = &score
		}
	}
	if out.Best != nil && a.Leaderboards != nil {
		ranked, _, ok, err := a.Leaderboards.Rank(r.Context(), standings.ChallengeKey(c.Mode, c.ID), me)
		if err != nil {
			return fmt.Errorf("my challenge %s rank: %w", c.ID, err)
		}
		if ok {
			out.Rank = &ranked.Rank
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// adminCreateChallenge adds a scheduled challenge (201; 409 on a taken id;
// 422 naming the field that breaks a rule; 404 unknown_mode).
func (a *api) adminCreateChallenge(w http.ResponseWriter, r *http.Request) error {
	store, err := a.challengeStore("create challenge")
	if err != nil {
		return err
	}
	c, err := readBody(a, w, r, decodeChallengeCreate)
	if err != nil {
		return err
	}
	if err := a.checkChallengeMode(r, c.Mode); err != nil {
		return err
	}
	if err := checkWindow(c, a.now(), true); err != nil {
		return err
	}
	if c.ID == "" {
		c.ID = a.newChallengeID()
	}
	c.CreatedBy = playerID(r)
	created, err := store.CreateChallenge(r.Context(), a.auditActor(r), c)
	if err != nil {
		return challengeWriteError("create challenge", c, err)
	}
	writeJSON(w, http.StatusCreated, newChallengeJSON(created, a.now()))
	return nil
}

// adminUpdateChallenge edits a challenge. Title, description and reward
// change until it ends; its mode, rules, window and attempts only before
// it starts (409 after).
func (a *api) adminUpdateChallenge(w http.ResponseWriter, r *http.Request) error {
	store, err := a.challengeStore("update challenge")
	if err != nil {
		return err
	}
	edit, err := readBody(a, w, r, decodeChallengePatch)
	if err != nil {
		return err
	}
	if edit.req.Mode != nil {
		if err := a.checkChallengeMode(r, *edit.req.Mode); err != nil {
			return err
		}
	}
	id, now := chi.URLParam(r, "id"), a.now()
	if !standings.ValidChallengeID(id) {
		return newError(http.StatusNotFound, CodeNotFound, "unknown challenge")
	}
	var next persistence.Challenge
	updated, err := store.UpdateChallenge(r.Context(), a.auditActor(r), id, func(c *persistence.Challenge) error {
		startChanged := edit.req.StartsAt != nil && !edit.req.StartsAt.Equal(c.StartsAt)
		if err := edit.apply(c); err != nil {
			return err
		}
		next = *c
		return checkWindow(*c, now, startChanged)
	}, now)
	if err != nil {
		return challengeWriteError("update challenge", next, err)
	}
	writeJSON(w, http.StatusOK, newChallengeJSON(updated, now))
	return nil
}

// adminCancelChallenge cancels a challenge that has not ended (idempotent;
// 409 once it ended).
func (a *api) adminCancelChallenge(w http.ResponseWriter, r *http.Request) error {
	store, err := a.challengeStore("cancel challenge")
	if err != nil {
		return err
	}
	id, now := chi.URLParam(r, "id"), a.now()
	if !standings.ValidChallengeID(id) {
		return newError(http.StatusNotFound, CodeNotFound, "unknown challenge")
	}
	c, err := store.CancelChallenge(r.Context(), a.auditActor(r), id, now)
	switch {
	case errors.Is(err, persistence.ErrNotFound):
		return newError(http.StatusNotFound, CodeNotFound, "unknown challenge")
	case errors.Is(err, persistence.ErrChallengeNotActive):
		return newError(http.StatusConflict, CodeConflict, "the challenge has ended")
	case err != nil:
		return fmt.Errorf("cancel challenge %s: %w", id, err)
	}
	writeJSON(w, http.StatusOK, newChallengeJSON(c, now))
	return nil
}

// checkChallengeMode accepts an active ranked mode: a challenge has a
// board, and players must be able to play it.
func (a *api) checkChallengeMode(r *http.Request, name string) error {
	if a.Modes == nil {
		return fmt.Errorf("challenge mode: %w", errNotConfigured)
	}
	m, err := findMode(r.Context(), a.Modes, name)
	if err != nil {
		return err
	}
	if !m.Active || !m.Ranked {
		return invalid("mode", "a challenge's mode must be active and ranked")
	}
	return nil
}

// challengeWriteError maps a store refusal of a challenge write once.
func challengeWriteError(op string, c persistence.Challenge, err error) error {
	var rule *persistence.ModeRuleError
	switch {
	case errors.As(err, &rule):
		return invalid("overrides."+rule.Field, rule.Message)
	case errors.Is(err, persistence.ErrChallengeNotActive):
		return newError(http.StatusConflict, CodeConflict,
			"only an upcoming challenge's mode, rules, window and attempts may change, and nothing once it ended")
	case errors.Is(err, persistence.ErrExists):
		return newError(http.StatusConflict, CodeConflict, "a challenge has that id")
	case errors.Is(err, persistence.ErrNotFound) && c.ID != "" && c.RewardBadge != "":
		return invalid("rewardBadge", "no badge has that id")
	case errors.Is(err, persistence.ErrNotFound):
		return newError(http.StatusNotFound, CodeNotFound, "unknown challenge")
	}
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return fmt.Errorf("%s: %w", op, err)
}

// newChallengeID draws an id for a challenge created without one.
func (a *api) newChallengeID() string {
	if a.Challenges.NewID != nil {
		return a.Challenges.NewID()
	}
	var b [5]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return "c-" + strings.ToLower(base32.StdEncoding.EncodeToString(b[:]))
}
