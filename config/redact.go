package config

import (
	"log/slog"
	"net/url"
	"slices"
)

// redactedMark replaces a secret that is set.
const redactedMark = "[redacted]"

// Redacted returns every variable's effective value, keyed by variable name,
// safe to log or print: secrets become "[redacted]" (or stay empty when
// unset) and URL passwords are masked.
func (c Config) Redacted() map[string]string {
	out := make(map[string]string, len(bindings))
	for _, b := range bindings {
		v := formatField(b.field(&c))
		switch {
		case b.secret && v != "":
			v = redactedMark
		case b.url:
			v = redactURL(v)
		}
		out[b.name] = v
	}
	return out
}

// LogValue makes slog log the redacted form, so passing a Config to a logger
// can never leak a secret.
func (c Config) LogValue() slog.Value {
	r := c.Redacted()
	names := make([]string, 0, len(r))
	for name := range r {
		names = append(names, name)
	}
	slices.Sort(names)
	attrs := make([]slog.Attr, 0, len(names)+1)
	for _, name := range names {
		attrs = append(attrs, slog.String(name, r[name]))
	}
	attrs = append(attrs, slog.Bool("JWT_SECRET_GENERATED", c.Auth.SecretGenerated))
	return slog.GroupValue(attrs...)
}

// redactURL masks the password of a URL, in its userinfo or (libpq style) in
// its query; an unparsable one is hidden whole because it may still contain
// credentials.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redactedMark
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
