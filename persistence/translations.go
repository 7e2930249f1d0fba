package persistence

import "context"

// Language is one language the API speaks. Exactly one language is the
// default: the one every other falls back to, always active.
type Language struct {
	// Code is a canonical BCP 47 tag (en, es, pt-BR).
	Code    string
	Name    string
	Active  bool
	Default bool
}

// Translation is one text in one language. Namespace groups keys by what
// they name: "errors" keyed by error code, "badges" keyed by slug.name and
// slug.description.
type Translation struct {
	Namespace string
	Key       string
	Language  string
	Text      string
}

// LanguagePatch is an edit of a language; nil fields stay as they are.
type LanguagePatch struct {
	Name   *string
	Active *bool
}

// TranslationCatalogue is every language and every translation at one
// moment. A catalogue a store returns is shared and never changed: callers
// must not modify it, and may key their own derived data on its pointer.
type TranslationCatalogue struct {
	Languages    []Language
	Translations []Translation
}

// TranslationStore keeps the languages and their translations.
type TranslationStore interface {
	// TranslationCatalogue returns every language (by code) and every
	// translation. Implementations serve it from memory, reloading after a
	// change made on any node, so callers may read it on every request.
	TranslationCatalogue(ctx context.Context) (*TranslationCatalogue, error)
	// CreateLanguage adds l. When l.Default is set it becomes the default
	// in the same transaction, the old one losing it. A taken code fails
	// with ErrExists and ErrConflict; an inactive default with ErrConflict.
	// Audited (ActionLanguageCreate) in the same transaction.
	CreateLanguage(ctx context.Context, by AuditActor, l Language) (Language, error)
	// UpdateLanguage edits the language code. An unknown code fails with
	// ErrNotFound; switching the default off fails with ErrConflict.
	// Audited (ActionLanguageUpdate) in the same transaction.
	UpdateLanguage(ctx context.Context, by AuditActor, code string, p LanguagePatch) (Language, error)
	// SetDefaultLanguage makes code the default atomically: no reader ever
	// sees zero or two defaults, and concurrent switches are serialized
	// (the last one wins). An unknown code fails with ErrNotFound, an
	// inactive one with ErrConflict.
	// Audited (ActionLanguageDefault) in the same transaction.
	SetDefaultLanguage(ctx context.Context, by AuditActor, code string) (Language, error)
	// PutTranslations inserts or replaces every translation in one
	// transaction: all or none. A translation of an unknown language fails
	// with ErrNotFound.
	// Audited (ActionTranslationUpsert, one entry per call) in the same transaction.
	PutTranslations(ctx context.Context, by AuditActor, ts []Translation) error
}
