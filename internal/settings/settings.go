package settings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Settings is the effective runtime configuration of the cluster: the
// static defaults with the stored overrides laid over them. Field names
// are the public API of GET /api/v1/admin/settings.
type Settings struct {
	Registration Registration `json:"registration"`
	Maintenance  Maintenance  `json:"maintenance"`
	Games        Games        `json:"games"`
	RateLimits   RateLimits   `json:"rateLimits"`
	Features     Features     `json:"features"`
}

// Registration says whether new accounts may sign up.
type Registration struct {
	// Open false refuses every sign-up (email, guest and wallet) with 403
	// registration_closed; existing accounts still sign in.
	Open bool `json:"open"`
}

// Maintenance is the maintenance mode: while Enabled, new games,
// matchmaking and REST writes are refused with Message; running games
// finish.
type Maintenance struct {
	Enabled bool   `json:"enabled"`
	Message string `json:"message"`
	// Until is when the operators expect maintenance to end (a hint for
	// Retry-After and clients), nil when unknown.
	Until *time.Time `json:"until"`
}

// Games holds the game defaults.
type Games struct {
	// DefaultMode pins the mode of a game:start that names none; empty
	// (the default) lets the player's recent form choose it (the dynamic
	// difficulty, actors/session/difficulty).
	DefaultMode string `json:"defaultMode"`
}

// RateLimits are the REST budgets per RATE_LIMIT_WINDOW (the window
// itself stays static: changing it under live counters would misjudge
// them).
type RateLimits struct {
	Anonymous int `json:"anonymous"`
	User      int `json:"user"`
	Auth      int `json:"auth"`
}

// Features switch the optional modules. cmd hands each module its own
// switch as a func() bool read from the Holder on every use, so a module
// follows a change at run time (docs/OPERATIONS.md, "Feature switches").
type Features struct {
	Analytics          bool `json:"analytics"`
	Referrals          bool `json:"referrals"`
	Challenges         bool `json:"challenges"`
	NotificationsEmail bool `json:"notificationsEmail"`
}

// MaintenanceOn reports whether maintenance mode is on.
func (s Settings) MaintenanceOn() bool { return s.Maintenance.Enabled }

// FieldError is one setting that breaks a rule; Field is its path in the
// document ("maintenance.until"), in the API's words.
type FieldError struct {
	Field   string
	Message string
}

// Error returns the path and the message.
func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Effective lays the stored overrides over defaults. overrides was
// validated when it was written (Merge); a document that no longer
// decodes (written by hand) is an error, and the caller keeps what it had.
func Effective(defaults Settings, overrides []byte) (Settings, error) {
	out := defaults
	if u := defaults.Maintenance.Until; u != nil {
		t := *u // Unmarshal writes through the pointer: never into the defaults'
		out.Maintenance.Until = &t
	}
	if len(bytes.TrimSpace(overrides)) == 0 {
		return out, nil
	}
	doc, err := decodeObject(overrides, "")
	if err != nil {
		return defaults, err
	}
	if err := checkDocument(doc); err != nil {
		return defaults, err
	}
	// Unmarshal into a copy of defaults sets only the fields present.
	if err := json.Unmarshal(overrides, &out); err != nil {
		return defaults, fmt.Errorf("decode settings overrides: %w", err)
	}
	if err := out.check(); err != nil {
		return defaults, err
	}
	return out, nil
}

// Merge applies patch (a JSON merge patch) to the stored overrides and
// returns the new overrides document and the effective settings it gives.
// Every problem is a *FieldError naming the field.
func Merge(defaults Settings, overrides, patch []byte) ([]byte, Settings, error) {
	p, err := decodeObject(patch, "")
	if err != nil {
		return nil, Settings{}, err
	}
	cur := map[string]any{}
	if len(bytes.TrimSpace(overrides)) > 0 {
		if cur, err = decodeObject(overrides, ""); err != nil {
			return nil, Settings{}, fmt.Errorf("stored overrides: %w", err)
		}
	}
	merged, _ := mergePatch(cur, p).(map[string]any)
	if err := checkDocument(merged); err != nil {
		return nil, Settings{}, err
	}
	doc, err := json.Marshal(merged)
	if err != nil {
		return nil, Settings{}, fmt.Errorf("encode settings overrides: %w", err)
	}
	eff, err := Effective(defaults, doc)
	if err != nil {
		return nil, Settings{}, err
	}
	return doc, eff, nil
}

// mergePatch is RFC 7386: objects merge key by key, null removes a key,
// anything else replaces the target.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		merged := mergePatch(t[k], v)
		if m, isMap := merged.(map[string]any); isMap && len(m) == 0 {
			delete(t, k) // a section left without overrides is no override
			continue
		}
		t[k] = merged
	}
	return t
}

// decodeObject parses a JSON object, numbers kept exact.
func decodeObject(raw []byte, path string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fieldErr(orRoot(path), "must be a JSON object")
	}
	if dec.More() {
		return nil, fieldErr(orRoot(path), "must be one JSON object")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fieldErr(orRoot(path), "must be a JSON object")
	}
	return m, nil
}

func orRoot(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// Equal reports whether m and o announce the same maintenance (the end
// times compared by value).
func (m Maintenance) Equal(o Maintenance) bool {
	if m.Enabled != o.Enabled || m.Message != o.Message || (m.Until == nil) != (o.Until == nil) {
		return false
	}
	return m.Until == nil || m.Until.Equal(*o.Until)
}
