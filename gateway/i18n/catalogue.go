package i18n

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Language is one language of the catalogue.
type Language struct {
	Code    string
	Name    string
	Active  bool
	Default bool
}

// Entry is one translated text.
type Entry struct {
	Namespace string
	Key       string
	Language  string
	Text      string
}

// Catalogue is every language and text at one moment. The zero and nil
// Catalogues speak no language: every lookup answers the source text.
type Catalogue struct {
	languages []Language
	byCode    map[string]Language
	def       string
	// source is the language the source texts are written in.
	source string
	// texts is language -> namespace -> key -> text.
	texts map[string]map[string]map[string]string
	// matcher matches over codes, the default first so a weak match on
	// nothing falls back to it.
	matcher language.Matcher
	codes   []string
}

// New builds a catalogue. source is the language the source texts (the
// messages in code, the names in tables) are written in. Entries of
// languages not in langs are kept (a language may be added after them) but
// never negotiated.
func New(source string, langs []Language, entries []Entry) *Catalogue {
	c := &Catalogue{byCode: make(map[string]Language, len(langs)), source: source,
		texts: make(map[string]map[string]map[string]string)}
	c.languages = slices.Clone(langs)
	slices.SortFunc(c.languages, func(a, b Language) int { return strings.Compare(a.Code, b.Code) })
	for _, l := range c.languages {
		c.byCode[l.Code] = l
		if l.Default {
			c.def = l.Code
		}
	}
	for _, e := range entries {
		c.put(e)
	}
	c.buildMatcher()
	return c
}

func (c *Catalogue) put(e Entry) {
	byNS := c.texts[e.Language]
	if byNS == nil {
		byNS = make(map[string]map[string]string)
		c.texts[e.Language] = byNS
	}
	keys := byNS[e.Namespace]
	if keys == nil {
		keys = make(map[string]string)
		byNS[e.Namespace] = keys
	}
	keys[e.Key] = e.Text
}

func (c *Catalogue) buildMatcher() {
	var tags []language.Tag
	add := func(code string) {
		tag, err := language.Parse(code)
		if err != nil {
			return // the table's check admits a few shapes x/text refuses; they are never negotiated
		}
		tags = append(tags, tag)
		c.codes = append(c.codes, code)
	}
	if c.def != "" {
		add(c.def)
	}
	for _, l := range c.languages {
		if l.Active && !l.Default {
			add(l.Code)
		}
	}
	if len(tags) > 0 {
		c.matcher = language.NewMatcher(tags)
	}
}

// Default returns the default language's code, "" when there is none.
func (c *Catalogue) Default() string {
	if c == nil {
		return ""
	}
	return c.def
}

// Languages returns every language by code. The slice is shared: callers
// do not modify it.
func (c *Catalogue) Languages() []Language {
	if c == nil {
		return nil
	}
	return c.languages
}

// Language returns the language code, active or not.
func (c *Catalogue) Language(code string) (Language, bool) {
	if c == nil {
		return Language{}, false
	}
	l, ok := c.byCode[code]
	return l, ok
}

// Negotiate picks the language of a response: query (a ?lang= value) when
// it matches an active language, then acceptLanguage (the header), then the
// default. Malformed values are skipped, never refused.
func (c *Catalogue) Negotiate(query, acceptLanguage string) string {
	if c == nil || c.matcher == nil {
		return c.Default()
	}
	if query != "" {
		if tag, err := language.Parse(query); err == nil {
			if code, ok := c.match(tag); ok {
				return code
			}
		}
	}
	if acceptLanguage != "" {
		if tags, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(tags) > 0 {
			if code, ok := c.match(tags...); ok {
				return code
			}
		}
	}
	return c.def
}

// match returns the active language the wanted tags match, if any does
// with more than no confidence.
func (c *Catalogue) match(want ...language.Tag) (string, bool) {
	_, i, conf := c.matcher.Match(want...)
	if conf == language.No || i < 0 || i >= len(c.codes) {
		return "", false
	}
	return c.codes[i], true
}

// Localize returns the text of key in namespace for lang: the source text
// itself when lang is the source language (it may say more than a
// translation keyed by an error code), else lang's own translation, else
// the default language's, else the source text.
func (c *Catalogue) Localize(lang, namespace, key, source string) string {
	if c == nil || lang == "" || lang == c.source {
		return source
	}
	for _, l := range []string{lang, c.def} {
		if l == c.source {
			break
		}
		if t, ok := c.texts[l][namespace][key]; ok {
			return t
		}
	}
	return source
}

// Lookup returns the text of key in namespace for lang: lang's own
// translation, else the default language's, even in the source language.
// It is for names that exist only as translations (a mode's title), where
// there is no source text to prefer.
func (c *Catalogue) Lookup(lang, namespace, key string) (string, bool) {
	if c == nil {
		return "", false
	}
	for _, l := range []string{lang, c.def} {
		if t, ok := c.texts[l][namespace][key]; ok {
			return t, true
		}
	}
	return "", false
}

// Texts returns lang's own translations, namespace -> key -> text, of one
// namespace or of all when namespace is "". The maps are shared: callers
// do not modify them.
func (c *Catalogue) Texts(lang, namespace string) map[string]map[string]string {
	out := map[string]map[string]string{}
	if c == nil {
		return out
	}
	for ns, keys := range c.texts[lang] {
		if namespace == "" || ns == namespace {
			out[ns] = keys
		}
	}
	return out
}

// Missing lists the default language's entries lang has no translation
// for, by namespace then key; none for the default language itself.
func (c *Catalogue) Missing(lang, namespace string) []Entry {
	if c == nil || lang == c.def {
		return []Entry{}
	}
	out := []Entry{}
	for ns, keys := range c.texts[c.def] {
		if namespace != "" && ns != namespace {
			continue
		}
		for k, text := range keys {
			if _, ok := c.texts[lang][ns][k]; !ok {
				out = append(out, Entry{Namespace: ns, Key: k, Language: c.def, Text: text})
			}
		}
	}
	slices.SortFunc(out, func(a, b Entry) int {
		return strings.Compare(a.Namespace+"\x00"+a.Key, b.Namespace+"\x00"+b.Key)
	})
	return out
}

// tagShape is migration 022's check on language codes: a language subtag
// first (no private-use or grandfathered x-/i- tags).
var tagShape = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)

// Canonical returns code's canonical BCP 47 form (ES-mx is es-MX), or an
// error when code is not a well-formed tag. Strict routes use it.
func Canonical(code string) (string, error) {
	if code == "" || len(code) > 35 {
		return "", fmt.Errorf("language code %q: must be a BCP 47 tag", code)
	}
	tag, err := language.Parse(code)
	if err != nil {
		return "", fmt.Errorf("language code %q: %w", code, err)
	}
	canonical := tag.String()
	if !tagShape.MatchString(canonical) {
		return "", fmt.Errorf("language code %q: not a language tag", code)
	}
	return canonical, nil
}
