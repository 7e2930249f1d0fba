package i18n

import (
	"sync"

	"github.com/proofstell/proofstell/persistence"
)

// SourceLanguage is the language of the API's own texts: the messages in
// code and the names in the catalogue tables.
const SourceLanguage = "en"

// Cache builds a Catalogue once per store catalogue: the store serves the
// same pointer until something changes, so a caller localizes with
// neither a query nor a rebuild. Safe for concurrent use; the zero Cache
// is ready.
type Cache struct {
	mu    sync.Mutex
	src   *persistence.TranslationCatalogue
	built *Catalogue
}

// Last returns the catalogue built last, nil before the first.
func (c *Cache) Last() *Catalogue {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.built
}

// Of returns the catalogue built from src.
func (c *Cache) Of(src *persistence.TranslationCatalogue) *Catalogue {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.src != src {
		c.src, c.built = src, FromStore(src)
	}
	return c.built
}

// FromStore builds the catalogue of a store's languages and translations,
// in SourceLanguage.
func FromStore(src *persistence.TranslationCatalogue) *Catalogue {
	langs := make([]Language, 0, len(src.Languages))
	for _, l := range src.Languages {
		langs = append(langs, Language{Code: l.Code, Name: l.Name, Active: l.Active, Default: l.Default})
	}
	entries := make([]Entry, 0, len(src.Translations))
	for _, t := range src.Translations {
		entries = append(entries, Entry{Namespace: t.Namespace, Key: t.Key, Language: t.Language, Text: t.Text})
	}
	return New(SourceLanguage, langs, entries)
}
