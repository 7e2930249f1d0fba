package settings

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"
)

// Bounds of the settings.
const (
	// MaxMessageLength bounds the maintenance message (characters): it
	// travels in every refusal and socket frame.
	MaxMessageLength = 280
	// MaxRate bounds each rate limit, as RATE_LIMIT_* do.
	MaxRate = 1_000_000
)

// kind is the JSON type a setting takes.
type kind int

const (
	kindBool kind = iota
	kindString
	kindInt
	kindTime // RFC 3339 string, or null for "unknown"
)

// schema lists every section and its fields: the one place a new setting
// is declared for validation.
var schema = map[string]map[string]kind{
	"registration": {"open": kindBool},
	"maintenance":  {"enabled": kindBool, "message": kindString, "until": kindTime},
	"games":        {"defaultMode": kindString},
	"rateLimits":   {"anonymous": kindInt, "user": kindInt, "auth": kindInt},
	"features":     {"analytics": kindBool, "referrals": kindBool, "challenges": kindBool, "notificationsEmail": kindBool},
}

// modeName is persistence.ModeNamePattern (a mode name in board keys).
var modeName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,22}$`)

// checkDocument requires every section and field of doc to be known and
// of its type; the first problem (in a stable order) is returned.
func checkDocument(doc map[string]any) error {
	for _, section := range sortedKeys(doc) {
		fields, known := schema[section]
		if !known {
			return fieldErr(section, "is not a setting")
		}
		obj, ok := doc[section].(map[string]any)
		if !ok {
			return fieldErr(section, "must be an object")
		}
		for _, name := range sortedKeys(obj) {
			k, known := fields[name]
			path := section + "." + name
			if !known {
				return fieldErr(path, "is not a setting")
			}
			if err := checkKind(path, k, obj[name]); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkKind(path string, k kind, v any) error {
	switch k {
	case kindBool:
		if _, ok := v.(bool); !ok {
			return fieldErr(path, "must be true or false")
		}
	case kindString:
		if _, ok := v.(string); !ok {
			return fieldErr(path, "must be a string")
		}
	case kindInt:
		n, ok := v.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			return fieldErr(path, "must be a whole number")
		}
	case kindTime:
		s, ok := v.(string)
		if !ok {
			return fieldErr(path, "must be an RFC 3339 time or null")
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return fieldErr(path, "must be an RFC 3339 time such as 2026-12-24T10:00:00Z")
		}
	}
	return nil
}

// check enforces the bounds of the effective settings.
func (s Settings) check() error {
	m := s.Maintenance
	switch {
	case utf8.RuneCountInString(m.Message) > MaxMessageLength:
		return fieldErr("maintenance.message", "must be at most %d characters", MaxMessageLength)
	case !utf8.ValidString(m.Message) || hasControl(m.Message):
		return fieldErr("maintenance.message", "must be printable text")
	case s.Games.DefaultMode != "" && !modeName.MatchString(s.Games.DefaultMode):
		return fieldErr("games.defaultMode", "must be a mode name (1-23 characters a-z 0-9 -) or empty")
	}
	rates := []struct {
		field string
		n     int
	}{{"rateLimits.anonymous", s.RateLimits.Anonymous}, {"rateLimits.user", s.RateLimits.User}, {"rateLimits.auth", s.RateLimits.Auth}}
	for _, r := range rates {
		if r.n < 1 || r.n > MaxRate {
			return fieldErr(r.field, "must be between 1 and %d", MaxRate)
		}
	}
	return nil
}

// Check validates settings built by hand (the static defaults): cmd calls
// it once at start.
func (s Settings) Check() error { return s.check() }

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// AsFieldError returns err's *FieldError, if it is one.
func AsFieldError(err error) (*FieldError, bool) {
	var fe *FieldError
	ok := errors.As(err, &fe)
	return fe, ok
}
