package rest

import (
	"fmt"
	"io"
	"regexp"

	"github.com/proofstell/proofstell/gateway/i18n"
	"github.com/proofstell/proofstell/persistence"
)

// Bounds of migration 022's checks.
const (
	maxTranslationsPerBulk = 1000
	maxTranslationKey      = 128
	maxTranslationText     = 2000
	maxLanguageName        = 64
)

// namespacePattern is migration 022's namespace check.
var namespacePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// languageCreateRequest is the body of POST /languages.
type languageCreateRequest struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Active  *bool  `json:"active"`
	Default bool   `json:"default"`
}

// languagePatchRequest is the body of PATCH /languages/{code}.
type languagePatchRequest struct {
	Name   *string `json:"name"`
	Active *bool   `json:"active"`
}

// translationJSON is one translation in a bulk write.
type translationJSON struct {
	Language  string `json:"language"`
	Namespace string `json:"namespace"`
	Key       string `json:"key"`
	Text      string `json:"text"`
}

// bulkTranslationsRequest is the body of POST /translations/bulk.
type bulkTranslationsRequest struct {
	Translations []translationJSON `json:"translations"`
}

// decodeLanguageCreate reads a new language; its code is canonicalized
// (strict: a malformed code is a 400).
func decodeLanguageCreate(body io.Reader) (persistence.Language, error) {
	var req languageCreateRequest
	if err := decodeBody(body, &req); err != nil {
		return persistence.Language{}, err
	}
	code, err := i18n.Canonical(req.Code)
	if err != nil {
		return persistence.Language{}, badRequest("code must be a BCP 47 language tag", "code")
	}
	if !boundedText(req.Name, 1, maxLanguageName) {
		return persistence.Language{}, invalid("name", fmt.Sprintf("name must be 1 to %d printable characters", maxLanguageName))
	}
	active := req.Active == nil || *req.Active
	if req.Default && !active {
		return persistence.Language{}, invalid("active", "the default language must be active")
	}
	return persistence.Language{Code: code, Name: req.Name, Active: active, Default: req.Default}, nil
}

// decodeLanguagePatch reads a language edit.
func decodeLanguagePatch(body io.Reader) (persistence.LanguagePatch, error) {
	var req languagePatchRequest
	if err := decodeBody(body, &req); err != nil {
		return persistence.LanguagePatch{}, err
	}
	if req.Name == nil && req.Active == nil {
		return persistence.LanguagePatch{}, invalid("body", "nothing to change")
	}
	if req.Name != nil && !boundedText(*req.Name, 1, maxLanguageName) {
		return persistence.LanguagePatch{}, invalid("name", fmt.Sprintf("name must be 1 to %d printable characters", maxLanguageName))
	}
	return persistence.LanguagePatch{Name: req.Name, Active: req.Active}, nil
}

// decodeBulkTranslations reads a bulk write; languages are canonicalized
// here and checked against the catalogue by the handler.
func decodeBulkTranslations(body io.Reader) ([]persistence.Translation, error) {
	var req bulkTranslationsRequest
	if err := decodeBody(body, &req); err != nil {
		return nil, err
	}
	if len(req.Translations) == 0 || len(req.Translations) > maxTranslationsPerBulk {
		return nil, invalid("translations", fmt.Sprintf("translations must hold 1 to %d entries", maxTranslationsPerBulk))
	}
	out := make([]persistence.Translation, 0, len(req.Translations))
	for i, t := range req.Translations {
		field := func(name string) string { return fmt.Sprintf("translations[%d].%s", i, name) }
		code, err := i18n.Canonical(t.Language)
		if err != nil {
			return nil, badRequest("language must be a BCP 47 language tag", field("language"))
		}
		switch {
		case !namespacePattern.MatchString(t.Namespace):
			return nil, invalid(field("namespace"), "namespace must be 1 to 32 lowercase letters, digits, dashes or underscores")
		case !boundedText(t.Key, 1, maxTranslationKey):
			return nil, invalid(field("key"), fmt.Sprintf("key must be 1 to %d printable characters", maxTranslationKey))
		case !boundedText(t.Text, 1, maxTranslationText):
			return nil, invalid(field("text"), fmt.Sprintf("text must be 1 to %d printable characters", maxTranslationText))
		}
		out = append(out, persistence.Translation{Namespace: t.Namespace, Key: t.Key, Language: code, Text: t.Text})
	}
	return out, nil
}
