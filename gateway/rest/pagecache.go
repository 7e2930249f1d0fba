package rest

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// maxCachedPages bounds the page cache; past it, expired pages are swept and,
// if that is not enough, the cache starts over (overflow policy: reset).
const maxCachedPages = 4096

var pageCacheLookups = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "proofstell_rest_leaderboard_page_cache_total",
	Help: "Public leaderboard page look-ups by result (hit, miss).",
}, []string{"result"})

// pageCache keeps encoded public leaderboard pages for a short time. They
// are the hottest public read, and a page younger than the leaderboard's
// publish interval is as fresh as the live leaderboard:update stream, so
// serving it again saves a grain round trip and the JSON encoding.
type pageCache struct {
	ttl time.Duration
	now func() time.Time
	// lookups counts hits and misses (pageCacheLookups unless the cache
	// serves something else than leaderboard pages).
	lookups *prometheus.CounterVec

	mu    sync.Mutex
	pages map[string]cachedPage
}

type cachedPage struct {
	body    []byte
	expires time.Time
}

// newPageCache returns nil (no caching) when ttl is not positive.
func newPageCache(ttl time.Duration, now func() time.Time) *pageCache {
	if ttl <= 0 {
		return nil
	}
	return &pageCache{ttl: ttl, now: now, lookups: pageCacheLookups, pages: map[string]cachedPage{}}
}

// get returns a fresh page body.
func (c *pageCache) get(key string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[key]
	if !ok || !c.now().Before(p.expires) {
		c.lookups.WithLabelValues("miss").Inc()
		return nil, false
	}
	c.lookups.WithLabelValues("hit").Inc()
	return p.body, true
}

// put stores a page body.
func (c *pageCache) put(key string, body []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.pages) >= maxCachedPages {
		for k, p := range c.pages {
			if !now.Before(p.expires) {
				delete(c.pages, k)
			}
		}
		if len(c.pages) >= maxCachedPages {
			c.pages = map[string]cachedPage{}
		}
	}
	c.pages[key] = cachedPage{body: body, expires: now.Add(c.ttl)}
}

// writeBody writes an already encoded JSON body. It sets Content-Length:
// net/http would otherwise send a body over its 2 KiB buffer (a top-100
// page is 14 KiB) chunked, with one more write(2) per response for the
// terminating chunk.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	// Bodies are JSON served as application/json, with <, > and & escaped
	// (encoding/json, jsonstr.Append), so player-chosen names cannot
	// become markup.
	_, _ = w.Write(body) //nolint:gosec // G705: see above
}
