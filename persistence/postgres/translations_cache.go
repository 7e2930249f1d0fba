package postgres

import (
	"context"
	"sync"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// translationChannel is the NOTIFY channel of migration 022's triggers on
// languages and translations.
const translationChannel = "proofstell_translations"

// translationCacheTTL bounds how long a catalogue is served: the safety net
// for a change whose notification this node missed.
const translationCacheTTL = time.Minute

// translationCache keeps the node's copy of the languages and translations.
// gen counts invalidations: a read that began before one does not fill the
// cache, so a catalogue changed mid-read is never kept.
type translationCache struct {
	mu  sync.RWMutex // read on every localized response
	gen uint64
	cat *persistence.TranslationCatalogue // nil: nothing cached
	at  time.Time
}

func (c *translationCache) get(now time.Time) (*persistence.TranslationCatalogue, bool, uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.cat != nil && now.Sub(c.at) < translationCacheTTL && !now.Before(c.at) {
		return c.cat, true, c.gen
	}
	return nil, false, c.gen
}

func (c *translationCache) put(cat *persistence.TranslationCatalogue, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	c.cat, c.at = cat, now
}

func (c *translationCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.cat = nil
}

// InvalidateTranslations drops the cached catalogue: the next read loads it.
func (s *Store) InvalidateTranslations() { s.translations.invalidate() }

// ListenTranslations keeps this node's catalogue true to the tables until
// ctx ends, like ListenModes: it drops the cache on every notification of
// migration 022's triggers, and again after each reconnection (a change may
// have passed unheard). onChange and onFailure, when not nil, hear each drop
// and each lost connection.
func (s *Store) ListenTranslations(ctx context.Context, onChange func(), onFailure func(error)) {
	s.listen(ctx, translationChannel, "translation", s.InvalidateTranslations, onChange, onFailure)
}
