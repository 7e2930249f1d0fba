package config

import (
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"
	"time"
)

// Variable documents one environment variable Load reads.
type Variable struct {
	Name string
	// Default is the value Default() gives it, formatted as it would be set.
	Default string
	Help    string
	// Secret variables are never logged (see Redacted).
	Secret bool
}

// binding ties a variable to the Config field it sets.
type binding struct {
	name, help string
	secret     bool
	// url variables are logged with their password removed.
	url bool
	// field returns a pointer to the field in c (or a fieldCodec for fields
	// that need custom parsing).
	field func(c *Config) any
}

// fieldCodec parses and formats a field that is not a plain typed value.
type fieldCodec interface {
	parse(s string) error
	format() string
}

// Variables lists every environment variable Load reads, in load order, with
// its default: the source of the README's configuration table.
func Variables() []Variable {
	def := Default()
	out := make([]Variable, 0, len(bindings))
	for _, b := range bindings {
		out = append(out, Variable{Name: b.name, Default: formatField(b.field(&def)), Help: b.help, Secret: b.secret})
	}
	return out
}

// parseField sets the field ptr points at from s.
func parseField(ptr any, s string) error {
	switch p := ptr.(type) {
	case fieldCodec:
		return p.parse(s)
	case *string:
		*p = s
	case *Environment:
		*p = Environment(strings.ToLower(strings.TrimSpace(s)))
	case *[]string:
		*p = splitList(s)
	case *time.Duration:
		return parseInto(p, s, parseDuration)
	case *bool:
		return parseInto(p, s, strconv.ParseBool)
	case *int:
		return parseInto(p, s, strconv.Atoi)
	case *int32:
		return parseInto(p, s, func(s string) (int32, error) {
			n, err := strconv.ParseInt(s, 10, 32)
			return int32(n), err
		})
	case *int64:
		return parseInto(p, s, func(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) })
	case *float64:
		return parseInto(p, s, func(s string) (float64, error) { return strconv.ParseFloat(s, 64) })
	default:
		return fmt.Errorf("unsupported field type %T", ptr)
	}
	return nil
}

// parseInto stores parse(s) in *p.
func parseInto[T any](p *T, s string, parse func(string) (T, error)) error {
	v, err := parse(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("invalid value %q: %w", s, err)
	}
	*p = v
	return nil
}

// formatField renders a field the way it would be written in the
// environment.
func formatField(ptr any) string {
	switch p := ptr.(type) {
	case fieldCodec:
		return p.format()
	case *string:
		return *p
	case *Environment:
		return string(*p)
	case *[]string:
		return strings.Join(*p, ",")
	case *time.Duration:
		return p.String()
	case *bool:
		return strconv.FormatBool(*p)
	case *int:
		return strconv.Itoa(*p)
	case *int32:
		return strconv.FormatInt(int64(*p), 10)
	case *int64:
		return strconv.FormatInt(*p, 10)
	case *float64:
		return strconv.FormatFloat(*p, 'g', -1, 64)
	default:
		return fmt.Sprint(ptr)
	}
}

// parseDuration accepts Go durations with their unit ("150ms", "30s", "2m").
// A bare number is refused, because "30" could mean seconds or milliseconds
// and once silently meant milliseconds; only "0" (off, where a setting
// allows it) needs no unit.
func parseDuration(s string) (time.Duration, error) {
	if isBareNumber(s) {
		if n, err := strconv.ParseFloat(s, 64); err == nil && n == 0 {
			return 0, nil
		}
		return 0, fmt.Errorf("a duration needs a unit: write %s or %s (units ms, s, m, h)", s+"s", s+"ms")
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("want a duration with a unit like 150ms, 30s or 2m: %w", err)
	}
	return d, nil
}

// isBareNumber reports whether s is a decimal number with no unit ("30",
// "-5", "1.5").
func isBareNumber(s string) bool {
	digits := strings.TrimLeft(s, "+-")
	if digits == "" {
		return false
	}
	for _, r := range digits {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return strings.ContainsAny(digits, "0123456789")
}

// splitList splits a comma list, trimming blanks and dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// portAddr maps PORT onto HTTP.Addr (":PORT"); HTTP_ADDR, read after it,
// overrides.
type portAddr struct{ addr *string }

func (p portAddr) parse(s string) error {
	port, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || port < 1 || port > 65535 {
		return fmt.Errorf("invalid port %q: want an integer in 1..65535", s)
	}
	*p.addr = ":" + strconv.Itoa(port)
	return nil
}

func (p portAddr) format() string {
	_, port, err := net.SplitHostPort(*p.addr)
	if err != nil {
		return ""
	}
	return port
}

// seconds is a duration written as whole seconds (the seed's *_SECONDS
// variables): "900" is 15 minutes, never 900 ms.
type seconds struct{ d *time.Duration }

func (s seconds) parse(v string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 || n > int64(math.MaxInt64/time.Second) {
		return fmt.Errorf("invalid value %q: want whole seconds", v)
	}
	*s.d = time.Duration(n) * time.Second
	return nil
}

func (s seconds) format() string { return strconv.FormatInt(int64(*s.d/time.Second), 10) }

// LocalOrigin is the origin a listener on addr (host:port) is reached at
// from this machine: http, and localhost for an empty or wildcard host, the
// default of PUBLIC_URL. An addr that is not host:port is returned as
// "http://" + addr for Validate to report under HTTP_ADDR and PUBLIC_URL.
func LocalOrigin(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
