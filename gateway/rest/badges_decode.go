package rest

import (
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/badges/criteria"
	"github.com/proofstell/proofstell/persistence"
)

// Field bounds of a badge, matching the checks of migration 007.
const (
	maxBadgeName        = 64
	maxBadgeDescription = 512
	maxBadgeIcon        = 256
	maxBadgeCategory    = 32
	maxBadgePoints      = 100_000
	// defaultBadgeCategory is the category of a badge created without one
	// (the column default of migration 007).
	defaultBadgeCategory = "general"
)

// badgeSlugPattern is what a badge slug may look like (migration 007).
var badgeSlugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// badgeCreateRequest is the body of POST /admin/badges.
type badgeCreateRequest struct {
	Slug        string          `json:"slug"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Icon        string          `json:"icon"`
	Rarity      string          `json:"rarity"`
	Points      int             `json:"points"`
	Category    string          `json:"category"`
	Active      *bool           `json:"active"`
	Mintable    bool            `json:"mintable"`
	Criteria    json.RawMessage `json:"criteria"`
}

// badgePatchRequest is the body of PATCH /admin/badges/{id}; the slug is
// an identity and cannot change.
type badgePatchRequest struct {
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	Icon        *string         `json:"icon"`
	Rarity      *string         `json:"rarity"`
	Points      *int            `json:"points"`
	Category    *string         `json:"category"`
	Active      *bool           `json:"active"`
	Mintable    *bool           `json:"mintable"`
	Criteria    json.RawMessage `json:"criteria"`
}

// badgeAwardRequest is the body of POST /admin/badges/{id}/award.
type badgeAwardRequest struct {
	PlayerID string `json:"playerId"`
}

// decodeBadgeCreate reads and validates a new badge.
func decodeBadgeCreate(body io.Reader) (persistence.Badge, error) {
	var req badgeCreateRequest
	if err := decodeBody(body, &req); err != nil {
		return persistence.Badge{}, err
	}
	if !badgeSlugPattern.MatchString(req.Slug) {
		return persistence.Badge{}, invalid("slug", "slug must be 1 to 64 lowercase letters, digits or dashes")
	}
	if req.Criteria == nil {
		return persistence.Badge{}, invalid("criteria", "criteria are required")
	}
	active := req.Active == nil || *req.Active
	if req.Rarity == "" {
		req.Rarity = string(persistence.RarityCommon) // the catalogue's default
	}
	if req.Category == "" {
		req.Category = defaultBadgeCategory
	}
	u, err := validateBadgePatch(badgePatchRequest{Name: &req.Name, Description: &req.Description, Icon: &req.Icon,
		Rarity: &req.Rarity, Points: &req.Points, Category: &req.Category, Criteria: req.Criteria})
	if err != nil {
		return persistence.Badge{}, err
	}
	return persistence.Badge{Slug: req.Slug, Name: *u.Name, Description: *u.Description, Icon: *u.Icon,
		Rarity: *u.Rarity, Points: *u.Points, Category: *u.Category, Active: active, Mintable: req.Mintable,
		Criteria: u.Criteria}, nil
}

// decodeBadgePatch reads and validates a badge edit.
func decodeBadgePatch(body io.Reader) (persistence.BadgeUpdate, error) {
	var req badgePatchRequest
	if err := decodeBody(body, &req); err != nil {
		return persistence.BadgeUpdate{}, err
	}
	u, err := validateBadgePatch(req)
	if err != nil {
		return persistence.BadgeUpdate{}, err
	}
	if emptyBadgePatch(req) {
		return u, invalid("body", "nothing to change")
	}
	return u, nil
}

// emptyBadgePatch reports a patch that changes nothing.
func emptyBadgePatch(p badgePatchRequest) bool {
	return p.Name == nil && p.Description == nil && p.Icon == nil && p.Rarity == nil && p.Points == nil &&
		p.Category == nil && p.Active == nil && p.Mintable == nil && p.Criteria == nil
}

// validateBadgePatch checks each present field and turns the request into
// an update with canonical criteria.
func validateBadgePatch(req badgePatchRequest) (persistence.BadgeUpdate, error) {
	u := persistence.BadgeUpdate{Name: req.Name, Description: req.Description, Icon: req.Icon, Points: req.Points,
		Category: req.Category, Active: req.Active, Mintable: req.Mintable}
	checks := []struct {
		field string
		v     *string
		lo    int
		hi    int
	}{{"name", req.Name, 1, maxBadgeName}, {"description", req.Description, 0, maxBadgeDescription},
		{"icon", req.Icon, 0, maxBadgeIcon}, {"category", req.Category, 1, maxBadgeCategory}}
	for _, c := range checks {
		if c.v != nil && !boundedText(*c.v, c.lo, c.hi) {
			return u, invalid(c.field, c.field+" is too long, empty or not printable")
		}
	}
	if req.Points != nil && (*req.Points < 0 || *req.Points > maxBadgePoints) {
		return u, invalid("points", "points must be between 0 and 100000")
	}
	if req.Rarity != nil {
		r := persistence.Rarity(*req.Rarity)
		if !r.Valid() {
			return u, invalid("rarity", "rarity must be common, rare, epic or legendary")
		}
		u.Rarity = &r
	}
	if req.Criteria != nil {
		enc, err := canonicalCriteria(req.Criteria)
		if err != nil {
			return u, err
		}
		u.Criteria = enc
	}
	return u, nil
}

// canonicalCriteria decodes raw strictly and re-encodes it, so what is
// stored is exactly what the engine understood.
func canonicalCriteria(raw json.RawMessage) (json.RawMessage, error) {
	c, err := criteria.Decode(raw)
	if err != nil {
		if errors.Is(err, criteria.ErrInvalid) {
			return nil, invalid("criteria", "criteria are not valid")
		}
		return nil, err
	}
	return c.Encode()
}

// boundedText reports whether s is printable with lo to hi runes.
func boundedText(s string, lo, hi int) bool {
	n := utf8.RuneCountInString(s)
	return n >= lo && n <= hi && printable(s)
}

// decodeBadgeAward reads the player of a manual award.
func decodeBadgeAward(body io.Reader) (badgeAwardRequest, error) {
	var req badgeAwardRequest
	if err := decodeBody(body, &req); err != nil {
		return badgeAwardRequest{}, err
	}
	if _, err := uuid.Parse(req.PlayerID); err != nil || len(req.PlayerID) != 36 {
		return badgeAwardRequest{}, invalid("playerId", "playerId must be a player id")
	}
	return req, nil
}
