package rest

import (
	"errors"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/persistence"
)

// Challenge limits: the table's checks (migration 020) and the admin
// rules on top of them.
const (
	maxChallengeTitle       = 80
	maxChallengeDescription = 512
	maxChallengeAttempts    = 100
	maxChallengeRewardTop   = 1000
	maxChallengeWindow      = 31 * 24 * time.Hour
	// challengeStartSlack lets an admin start a challenge "now" from a
	// client whose clock, or whose request, lags a little.
	challengeStartSlack = time.Minute
)

// challengeRequest is the body of POST /admin/challenges and PATCH
// /admin/challenges/{id}. Overrides take the field names and checks of
// PATCH /admin/modes (modeRequest), minus what names a mode (name,
// active, ranked). In a patch, absent fields stay as they are and
// overrides, when present, replace the challenge's overrides as a whole.
type challengeRequest struct {
	ID          *string      `json:"id"`
	Title       *string      `json:"title"`
	Description *string      `json:"description"`
	Mode        *string      `json:"mode"`
	Overrides   *modeRequest `json:"overrides"`
	StartsAt    *time.Time   `json:"startsAt"`
	EndsAt      *time.Time   `json:"endsAt"`
	MaxAttempts *int         `json:"maxAttempts"`
	RewardBadge *string      `json:"rewardBadge"`
	RewardTop   *int         `json:"rewardTop"`
}

// challengeEdit is a decoded patch: nil fields stay.
type challengeEdit struct {
	req       challengeRequest
	overrides *persistence.ModeUpdate
}

// decodeChallengeCreate reads a new challenge; id, description, overrides,
// rewardBadge and rewardTop are optional. The window is checked against
// the clock by the handler (checkWindow); the rules by the store.
func decodeChallengeCreate(body io.Reader) (persistence.Challenge, error) {
	var req challengeRequest
	if err := decodeBody(body, &req); err != nil {
		return persistence.Challenge{}, err
	}
	required := []struct {
		missing bool
		field   string
	}{
		{req.Title == nil, "title"}, {req.Mode == nil, "mode"}, {req.StartsAt == nil, "startsAt"},
		{req.EndsAt == nil, "endsAt"}, {req.MaxAttempts == nil, "maxAttempts"},
	}
	for _, r := range required {
		if r.missing {
			return persistence.Challenge{}, invalid(r.field, r.field+" is required")
		}
	}
	c := persistence.Challenge{Kind: persistence.ChallengeScheduled, RewardTop: 1}
	if req.ID != nil {
		if err := checkChallengeID(*req.ID); err != nil {
			return c, err
		}
		c.ID = *req.ID
	}
	edit, err := req.edit()
	if err != nil {
		return c, err
	}
	return c, edit.apply(&c)
}

// decodeChallengePatch reads an edit; an id cannot change.
func decodeChallengePatch(body io.Reader) (challengeEdit, error) {
	var req challengeRequest
	if err := decodeBody(body, &req); err != nil {
		return challengeEdit{}, err
	}
	if req.ID != nil {
		return challengeEdit{}, invalid("id", "a challenge's id cannot change")
	}
	if req == (challengeRequest{}) {
		return challengeEdit{}, invalid("body", "nothing to change")
	}
	return req.edit()
}

// edit checks every present field on its own.
func (p challengeRequest) edit() (challengeEdit, error) {
	e := challengeEdit{req: p}
	checks := []struct {
		bad          bool
		field, issue string
	}{
		{p.Title != nil && !textBetween(*p.Title, 1, maxChallengeTitle), "title", "title must be 1 to 80 characters"},
		{p.Description != nil && !textBetween(*p.Description, 0, maxChallengeDescription), "description", "description must be at most 512 characters"},
		{p.Mode != nil && !persistence.ModeNamePattern.MatchString(*p.Mode), "mode", "mode must be a mode's name"},
		{p.MaxAttempts != nil && (*p.MaxAttempts < 1 || *p.MaxAttempts > maxChallengeAttempts), "maxAttempts", "maxAttempts must be from 1 to 100"},
		{p.RewardTop != nil && (*p.RewardTop < 1 || *p.RewardTop > maxChallengeRewardTop), "rewardTop", "rewardTop must be from 1 to 1000"},
		{p.RewardBadge != nil && *p.RewardBadge != "" && uuid.Validate(*p.RewardBadge) != nil, "rewardBadge", "rewardBadge must be a badge id (uuid)"},
	}
	for _, c := range checks {
		if c.bad {
			return e, invalid(c.field, c.issue)
		}
	}
	if p.Overrides == nil {
		return e, nil
	}
	o := p.Overrides
	for _, named := range []struct {
		set   bool
		field string
	}{{o.Name != nil, "name"}, {o.Active != nil, "active"}, {o.Ranked != nil, "ranked"}} {
		if named.set {
			return e, invalid("overrides."+named.field, "a challenge cannot change its mode's "+named.field)
		}
	}
	u, err := o.update()
	if err != nil {
		return e, prefixField(err, "overrides.")
	}
	e.overrides = &u
	return e, nil
}

// apply sets the edit's fields on c.
func (e challengeEdit) apply(c *persistence.Challenge) error {
	p := e.req
	setField(&c.Title, p.Title)
	setField(&c.Description, p.Description)
	setField(&c.Mode, p.Mode)
	setField(&c.MaxAttempts, p.MaxAttempts)
	setField(&c.RewardBadge, p.RewardBadge)
	setField(&c.RewardTop, p.RewardTop)
	if p.StartsAt != nil {
		c.StartsAt = p.StartsAt.UTC()
	}
	if p.EndsAt != nil {
		c.EndsAt = p.EndsAt.UTC()
	}
	if e.overrides != nil {
		c.Overrides = *e.overrides
	}
	return nil
}

func setField[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// checkWindow holds a challenge's window to the admin rules: it ends after
// it starts, lasts at most 31 days, and (when its start is set or moved)
// does not start in the past.
func checkWindow(c persistence.Challenge, now time.Time, startChanged bool) error {
	switch {
	case !c.EndsAt.After(c.StartsAt):
		return invalid("endsAt", "endsAt must be after startsAt")
	case c.EndsAt.Sub(c.StartsAt) > maxChallengeWindow:
		return invalid("endsAt", "a challenge lasts at most 31 days")
	case startChanged && c.StartsAt.Before(now.Add(-challengeStartSlack)):
		return invalid("startsAt", "startsAt must not be in the past")
	}
	return nil
}

// checkChallengeID accepts a board period id (standings.ValidChallengeID)
// that is not a daily challenge's: those ids belong to the scheduler.
func checkChallengeID(id string) error {
	switch {
	case !standings.ValidChallengeID(id):
		return invalid("id", "id must be 1 to 31 lowercase letters, digits or dashes, starting with a letter or digit")
	case strings.HasPrefix(id, persistence.DailyChallengePrefix):
		return invalid("id", "ids starting with daily- belong to the daily challenges")
	}
	return nil
}

func textBetween(s string, lo, hi int) bool {
	n := utf8.RuneCountInString(s)
	return utf8.ValidString(s) && n >= lo && n <= hi
}

// prefixField renames a validation error's field (overrides.rows).
func prefixField(err error, prefix string) error {
	var ae *apiError
	if errors.As(err, &ae) && ae.Details != nil {
		if f, ok := ae.Details["field"].(string); ok {
			out := *ae
			out.Details = map[string]any{"field": prefix + f}
			return &out
		}
	}
	return err
}
