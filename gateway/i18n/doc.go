// Package i18n picks the language of a response and finds its texts. It is
// pure: a Catalogue is built from the languages and translations a store
// loaded (persistence.TranslationStore) and is never changed afterwards, so
// the gateways share one per node and rebuild it only when the store's
// catalogue changes.
//
// Negotiation is lenient: an explicit ?lang= wins when it matches an active
// language, then the Accept-Language header, then the default language. The
// match is golang.org/x/text/language's Matcher, so es-MX finds es and a
// language nobody speaks finds the default. Lookups in the source language
// (the one messages in code and names in tables are written in) answer the
// source text itself; another language answers its own translation, else
// the default language's, else the source text.
//
// The routes that manage translations are strict instead: Canonical refuses
// a code that is not BCP 47, and callers refuse codes the catalogue lacks.
package i18n
