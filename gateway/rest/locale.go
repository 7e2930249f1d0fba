package rest

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/proofstell/proofstell/gateway/i18n"
)

// locale is the language a response speaks and the catalogue it reads.
// The zero locale speaks only the source texts.
type locale struct {
	cat  *i18n.Catalogue
	lang string
}

type localeKey struct{}

// localeOf returns the request's locale (see localize).
func localeOf(ctx context.Context) locale {
	l, _ := ctx.Value(localeKey{}).(locale)
	return l
}

// text localizes source, the default language's text of key in namespace.
func (l locale) text(namespace, key, source string) string {
	return l.cat.Localize(l.lang, namespace, key, source)
}

// name is the text of key in namespace in the locale's language (or the
// default language), fallback when neither has it: for names kept only as
// translations.
func (l locale) name(namespace, key, fallback string) string {
	if t, ok := l.cat.Lookup(l.lang, namespace, key); ok {
		return t
	}
	return fallback
}

// catalogueLoadTimeout bounds the load localize may wait for: a response
// in the source language beats one stuck on a slow database.
const catalogueLoadTimeout = time.Second

// catalogue returns the node's current catalogue.
func (a *api) catalogue(ctx context.Context) (*i18n.Catalogue, error) {
	if a.Translations.Store == nil {
		return nil, errNotConfigured
	}
	src, err := a.Translations.Store.TranslationCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	return a.catalogues.Of(src), nil
}

// localize negotiates the response's language (?lang=, then
// Accept-Language, then the default; never refused) and keeps it in the
// request's context for writeError and the localized routes. Without a
// catalogue (none configured, or the store down) responses speak the
// source texts: localization never fails a request.
func (a *api) localize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !localized(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Accept-Language")
		ctx, cancel := context.WithTimeout(r.Context(), catalogueLoadTimeout)
		cat, err := a.catalogue(ctx)
		cancel()
		if err != nil {
			if a.Translations.Store != nil {
				a.logger.Debug("no fresh translation catalogue", slog.Any("error", err))
			}
			if cat = a.catalogues.Last(); cat == nil { // a stale catalogue beats none
				next.ServeHTTP(w, r)
				return
			}
		}
		l := locale{cat: cat, lang: cat.Negotiate(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))}
		if l.lang != "" {
			w.Header().Set("Content-Language", l.lang)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), localeKey{}, l)))
	})
}

// localized reports whether path answers in a language: the API, except
// the health probes, which must not wait on the database for words.
func localized(path string) bool {
	return strings.HasPrefix(path, "/api/v1/") && !strings.HasPrefix(path, "/api/v1/health/")
}
