package rest

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
)

// adminCreateLanguage adds a language (201; 409 on a taken code). With
// "default": true it becomes the default in the same transaction.
func (a *api) adminCreateLanguage(w http.ResponseWriter, r *http.Request) error {
	if a.Translations.Store == nil {
		return fmt.Errorf("create language: %w", errNotConfigured)
	}
	l, err := readBody(a, w, r, decodeLanguageCreate)
	if err != nil {
		return err
	}
	created, err := a.Translations.Store.CreateLanguage(r.Context(), a.auditActor(r), l)
	if err != nil {
		return fmt.Errorf("create language: %w", err)
	}
	writeJSON(w, http.StatusCreated, languageJSON(created))
	return nil
}

// adminUpdateLanguage renames or (de)activates a language; an inactive one
// may be edited (to activate it), an unknown one is a 400. Switching the
// default off is a 409.
func (a *api) adminUpdateLanguage(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.catalogue(r.Context())
	if err != nil {
		return fmt.Errorf("update language: %w", err)
	}
	l, err := strictLanguage(cat, chi.URLParam(r, "code"), "code", true)
	if err != nil {
		return err
	}
	p, err := readBody(a, w, r, decodeLanguagePatch)
	if err != nil {
		return err
	}
	updated, err := a.Translations.Store.UpdateLanguage(r.Context(), a.auditActor(r), l.Code, p)
	if err != nil {
		return fmt.Errorf("update language: %w", err)
	}
	writeJSON(w, http.StatusOK, languageJSON(updated))
	return nil
}

// adminSetDefaultLanguage makes an active language the default; the old
// one loses it in the same transaction.
func (a *api) adminSetDefaultLanguage(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.catalogue(r.Context())
	if err != nil {
		return fmt.Errorf("set default language: %w", err)
	}
	l, err := strictLanguage(cat, chi.URLParam(r, "code"), "code", false)
	if err != nil {
		return err
	}
	updated, err := a.Translations.Store.SetDefaultLanguage(r.Context(), a.auditActor(r), l.Code)
	if err != nil {
		return fmt.Errorf("set default language: %w", err)
	}
	writeJSON(w, http.StatusOK, languageJSON(updated))
	return nil
}

// adminBulkTranslations writes translations of active languages, all or
// none.
func (a *api) adminBulkTranslations(w http.ResponseWriter, r *http.Request) error {
	cat, err := a.catalogue(r.Context())
	if err != nil {
		return fmt.Errorf("bulk translations: %w", err)
	}
	ts, err := readBody(a, w, r, decodeBulkTranslations)
	if err != nil {
		return err
	}
	for i, t := range ts {
		if _, err := strictLanguage(cat, t.Language, fmt.Sprintf("translations[%d].language", i), false); err != nil {
			return err
		}
	}
	if err := a.Translations.Store.PutTranslations(r.Context(), a.auditActor(r), ts); err != nil {
		return fmt.Errorf("bulk translations: %w", err)
	}
	writeJSON(w, http.StatusOK, bulkResponse{Written: len(ts)})
	return nil
}
