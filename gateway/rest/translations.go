package rest

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/gateway/i18n"
	"github.com/proofstell/proofstell/persistence"
)

// TranslationDeps is what the language and translation routes need. A nil
// Store answers them with 500 (not configured) and leaves every response
// in the source language.
type TranslationDeps struct {
	// Store keeps the languages and translations; its catalogue is read
	// on every request, so it must serve it from memory.
	Store persistence.TranslationStore
}

// languageJSON is one language as clients see it.
type languageJSON struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Active  bool   `json:"active"`
	Default bool   `json:"default"`
}

// languagesResponse is the body of GET /languages.
type languagesResponse struct {
	Languages []languageJSON `json:"languages"`
	Default   string         `json:"default"`
}

// translationsResponse is the body of GET /translations/{code}.
type translationsResponse struct {
	Language     string                       `json:"language"`
	Translations map[string]map[string]string `json:"translations"`
}

// missingJSON is a default-language text a language lacks.
type missingJSON struct {
	Namespace string `json:"namespace"`
	Key       string `json:"key"`
	Text      string `json:"text"`
}

// missingResponse is the body of GET /translations/{code}/missing-translations.
type missingResponse struct {
	Language string        `json:"language"`
	Default  string        `json:"default"`
	Missing  []missingJSON `json:"missing"`
}

// bulkResponse is the body of POST /translations/bulk.
type bulkResponse struct {
	Written int `json:"written"`
}

// translationRoutes registers the language and translation routes: reads
// are public, writes need the admin role. routes calls it once from each
// group with the other router nil.
func (a *api) translationRoutes(public, authed chi.Router) {
	if public != nil {
		public.Get("/languages", a.handle(a.listLanguages))
		public.Get("/translations/{code}", a.handle(a.languageTranslations))
		public.Get("/translations/{code}/missing-translations", a.handle(a.missingTranslations))
	}
	if authed != nil {
		authed.Group(func(r chi.Router) {
			r.Use(a.requireRole(persistence.RoleAdmin))
			r.Post("/languages", a.handle(a.adminCreateLanguage))
			r.Patch("/languages/{code}", a.handle(a.adminUpdateLanguage))
			r.Post("/languages/{code}/default", a.handle(a.adminSetDefaultLanguage))
			r.Post("/translations/bulk", a.handle(a.adminBulkTranslations))
		})
	}
}

// listLanguages answers every language, active or not.
func (a *api) listLanguages(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.catalogue(r.Context())
	if err != nil {
		return fmt.Errorf("list languages: %w", err)
	}
	out := make([]languageJSON, 0, len(cat.Languages()))
	for _, l := range cat.Languages() {
		out = append(out, languageJSON(l))
	}
	writeJSON(w, http.StatusOK, languagesResponse{Languages: out, Default: cat.Default()})
	return nil
}

// strictLanguage resolves a code a managing route names: malformed,
// unknown and (unless inactiveOK) inactive codes are 400, never a
// fallback.
func strictLanguage(cat *i18n.Catalogue, raw, field string, inactiveOK bool) (i18n.Language, error) {
	code, err := i18n.Canonical(raw)
	if err != nil {
		return i18n.Language{}, badRequest("language must be a BCP 47 language tag", field)
	}
	l, ok := cat.Language(code)
	if !ok {
		return i18n.Language{}, badRequest("unknown language "+code, field)
	}
	if !l.Active && !inactiveOK {
		return i18n.Language{}, badRequest("inactive language "+code, field)
	}
	return l, nil
}

// namespaceParam reads ?namespace=, "" for all.
func namespaceParam(r *http.Request) (string, error) {
	ns := r.URL.Query().Get("namespace")
	if ns != "" && !namespacePattern.MatchString(ns) {
		return "", badRequest("namespace must be 1 to 32 lowercase letters, digits, dashes or underscores", "namespace")
	}
	return ns, nil
}

// languageTranslations answers a language's own translations.
func (a *api) languageTranslations(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.catalogue(r.Context())
	if err != nil {
		return fmt.Errorf("translations: %w", err)
	}
	l, err := strictLanguage(cat, chi.URLParam(r, "code"), "code", false)
	if err != nil {
		return err
	}
	ns, err := namespaceParam(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, translationsResponse{Language: l.Code, Translations: cat.Texts(l.Code, ns)})
	return nil
}

// missingTranslations answers the default language's keys the language
// lacks.
func (a *api) missingTranslations(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.catalogue(r.Context())
	if err != nil {
		return fmt.Errorf("missing translations: %w", err)
	}
	l, err := strictLanguage(cat, chi.URLParam(r, "code"), "code", false)
	if err != nil {
		return err
	}
	ns, err := namespaceParam(r)
	if err != nil {
		return err
	}
	missing := cat.Missing(l.Code, ns)
	out := make([]missingJSON, 0, len(missing))
	for _, e := range missing {
		out = append(out, missingJSON{Namespace: e.Namespace, Key: e.Key, Text: e.Text})
	}
	writeJSON(w, http.StatusOK, missingResponse{Language: l.Code, Default: cat.Default(), Missing: out})
	return nil
}
