package analytics

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
)

// Catalogue event names. Server events are derived from outbox rows;
// client events arrive through POST /api/v1/analytics/events.
const (
	SignedUp           = "signed_up"
	WalletLinked       = "wallet_linked"
	GameStarted        = "game_started"
	GameFinished       = "game_finished"
	GameFlagged        = "game_flagged"
	BadgeAwarded       = "badge_awarded"
	MintStatus         = "mint_status"
	ChallengeAttempted = "challenge_attempted"
	MatchFormed        = "match_formed"
	ReferralCompleted  = "referral_completed"

	ScreenViewed      = "screen_viewed"
	TutorialCompleted = "tutorial_completed"
	ShareClicked      = "share_clicked"
	SettingsChanged   = "settings_changed"
)

// PropType is the type of one event property.
type PropType int

// Property types. Strings are bounded (MaxStringProp) so every provider
// accepts them (GA4 takes 100 characters).
const (
	PropString PropType = iota + 1
	PropInt
	PropBool
)

// MaxStringProp is the longest string property value, GA4's limit.
const MaxStringProp = 100

// Spec describes one catalogue event: who may send it and its properties.
type Spec struct {
	Name string
	// Client is whether players may send it through the events endpoint.
	Client bool
	// Props are the allowed properties and their types; Required must
	// be present.
	Props    map[string]PropType
	Required []string
}

// catalogue is every event the node sends, in documentation order.
var catalogue = []Spec{
	{Name: SignedUp, Props: map[string]PropType{"method": PropString}, Required: []string{"method"}},
	{Name: WalletLinked, Props: map[string]PropType{"chain": PropString}, Required: []string{"chain"}},
	{Name: GameStarted, Props: map[string]PropType{"mode": PropString, "kind": PropString, "challenge_id": PropString, "match_id": PropString}, Required: []string{"mode", "kind"}},
	{Name: GameFinished, Props: map[string]PropType{"mode": PropString, "score": PropInt, "duration_ms": PropInt, "hits": PropInt, "misses": PropInt, "flagged": PropBool}, Required: []string{"mode", "score", "flagged"}},
	{Name: GameFlagged, Props: map[string]PropType{"mode": PropString}, Required: []string{"mode"}},
	{Name: BadgeAwarded, Props: map[string]PropType{"badge": PropString, "rarity": PropString}, Required: []string{"badge"}},
	{Name: MintStatus, Props: map[string]PropType{"status": PropString, "chain": PropString}, Required: []string{"status"}},
	{Name: ChallengeAttempted, Props: map[string]PropType{"challenge_id": PropString, "mode": PropString}, Required: []string{"challenge_id"}},
	{Name: MatchFormed, Props: map[string]PropType{"mode": PropString, "players": PropInt, "match_id": PropString}, Required: []string{"mode"}},
	{Name: ReferralCompleted, Props: map[string]PropType{"role": PropString}, Required: []string{"role"}},
	{Name: ScreenViewed, Client: true, Props: map[string]PropType{"screen": PropString}, Required: []string{"screen"}},
	{Name: TutorialCompleted, Client: true, Props: map[string]PropType{"step": PropInt}},
	{Name: ShareClicked, Client: true, Props: map[string]PropType{"target": PropString}, Required: []string{"target"}},
	{Name: SettingsChanged, Client: true, Props: map[string]PropType{"setting": PropString, "enabled": PropBool}, Required: []string{"setting"}},
}

// Catalogue returns every event spec, in documentation order.
func Catalogue() []Spec { return slices.Clone(catalogue) }

// Lookup returns the spec of name.
func Lookup(name string) (Spec, bool) {
	i := slices.IndexFunc(catalogue, func(s Spec) bool { return s.Name == name })
	if i < 0 {
		return Spec{}, false
	}
	return catalogue[i], true
}

// Client event errors; the REST edge maps them to 400 (ErrInvalidEvent).
var (
	// ErrUnknownEvent: the name is not a client event of the catalogue.
	ErrUnknownEvent = errors.New("unknown analytics event")
	// ErrInvalidEvent: a property is unknown, missing or of the wrong type.
	ErrInvalidEvent = errors.New("invalid analytics event")
)

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidateClient checks a client event against the catalogue: a client
// event name, only its properties with their types, the required ones
// present. JSON numbers arrive as float64 and must be whole.
func ValidateClient(name string, props map[string]any) error {
	spec, ok := Lookup(name)
	if !ok || !spec.Client {
		return fmt.Errorf("%w %q", ErrUnknownEvent, name)
	}
	for k, v := range props {
		t, ok := spec.Props[k]
		if !ok {
			return fmt.Errorf("%w: %s has no property %q", ErrInvalidEvent, name, k)
		}
		if !typeOK(t, v) {
			return fmt.Errorf("%w: %s.%s has the wrong type or size", ErrInvalidEvent, name, k)
		}
	}
	for _, k := range spec.Required {
		if _, ok := props[k]; !ok {
			return fmt.Errorf("%w: %s needs %q", ErrInvalidEvent, name, k)
		}
	}
	return nil
}

// ValidKey reports whether a client-chosen event key is acceptable.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

func typeOK(t PropType, v any) bool {
	switch t {
	case PropString:
		s, ok := v.(string)
		return ok && len(s) <= MaxStringProp
	case PropInt:
		f, ok := v.(float64)
		return ok && f == math.Trunc(f) && math.Abs(f) < 1<<53
	case PropBool:
		_, ok := v.(bool)
		return ok
	}
	return false
}
