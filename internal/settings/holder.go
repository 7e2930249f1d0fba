package settings

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// PollInterval is how often each node compares its settings version with
// the stored one: the bound on how long a node misses a change whose
// notification it did not hear.
const PollInterval = time.Second

// Source is where a holder reads the settings (persistence.SettingsStore).
type Source interface {
	LoadSettings(ctx context.Context) (persistence.StoredSettings, error)
	SettingsVersion(ctx context.Context) (int64, error)
}

// Snapshot is the settings one stored version gives.
type Snapshot struct {
	// Version is the stored version they come from (0: never written).
	Version int64
	// Settings are the effective settings.
	Settings Settings
	// Overrides is the stored document of overrides.
	Overrides []byte
	UpdatedAt time.Time
	UpdatedBy string
}

// Observer hears each change of the effective settings a holder applies,
// with the settings before and after. It runs on the goroutine that applied
// the change, in version order, and must not block.
type Observer func(before, after Settings)

// Holder is a node's copy of the runtime settings. Current is lock-free;
// Run keeps it true to the store. Safe for concurrent use.
type Holder struct {
	defaults Settings
	src      Source
	logger   *slog.Logger
	cur      atomic.Pointer[Snapshot]
	signal   chan struct{}

	mu        sync.Mutex // orders applies, so observers hear versions in order
	observers []Observer
}

// NewHolder builds a holder that serves defaults until Load or Run reads
// the store. defaults are the static settings (config).
func NewHolder(defaults Settings, src Source, logger *slog.Logger) *Holder {
	if logger == nil {
		logger = slog.Default()
	}
	h := &Holder{defaults: defaults, src: src, logger: logger, signal: make(chan struct{}, 1)}
	h.cur.Store(&Snapshot{Settings: defaults})
	return h
}

// Defaults returns the static settings the overrides are laid over.
func (h *Holder) Defaults() Settings { return h.defaults }

// Current returns the effective settings.
func (h *Holder) Current() Settings { return h.cur.Load().Settings }

// Snapshot returns the effective settings with their version.
func (h *Holder) Snapshot() Snapshot { return *h.cur.Load() }

// Observe adds fn to the observers of changes; it hears the changes
// applied after it returns.
func (h *Holder) Observe(fn Observer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.observers = append(h.observers, fn)
}

// Changed asks Run to reload; it never blocks (the store's change listener
// calls it).
func (h *Holder) Changed() {
	select {
	case h.signal <- struct{}{}:
	default: // a reload is already due
	}
}

// Load reads the stored settings and applies them.
func (h *Holder) Load(ctx context.Context) error {
	row, err := h.src.LoadSettings(ctx)
	if err != nil {
		return fmt.Errorf("load settings: %w", err)
	}
	return h.Apply(row)
}

// Apply makes row current unless the holder already has that version or
// a newer one (a node that wrote the row applies it at once, before its
// own notification comes back). A row whose overrides no longer validate
// is refused and the holder keeps what it has.
func (h *Holder) Apply(row persistence.StoredSettings) error {
	eff, err := Effective(h.defaults, row.Overrides)
	if err != nil {
		return fmt.Errorf("settings version %d: %w", row.Version, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	before := h.cur.Load()
	if row.Version <= before.Version && before.Overrides != nil {
		return nil
	}
	h.cur.Store(&Snapshot{Version: row.Version, Settings: eff, Overrides: row.Overrides,
		UpdatedAt: row.UpdatedAt, UpdatedBy: row.UpdatedBy})
	if !before.Settings.Equal(eff) {
		for _, fn := range h.observers {
			fn(before.Settings, eff)
		}
	}
	return nil
}

// Equal reports whether s and o are the same settings (== would compare
// the maintenance end times by pointer).
func (s Settings) Equal(o Settings) bool {
	a, b := s, o
	a.Maintenance.Until, b.Maintenance.Until = nil, nil
	return a == b && equalUntil(s, o)
}

func equalUntil(a, b Settings) bool {
	x, y := a.Maintenance.Until, b.Maintenance.Until
	if x == nil || y == nil {
		return x == y
	}
	return x.Equal(*y)
}

// Run keeps the holder true to the store until ctx ends: it reloads on
// every Changed, and on every tick (PollInterval in production; tests send
// their own) it reads the version and reloads when it moved. Failures are
// logged; the holder keeps serving what it has.
func (h *Holder) Run(ctx context.Context, ticks <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.signal:
			h.reload(ctx)
		case <-ticks:
			h.poll(ctx)
		}
	}
}

func (h *Holder) reload(ctx context.Context) {
	if err := h.Load(ctx); err != nil && ctx.Err() == nil {
		h.logger.Warn("reload runtime settings", slog.Any("error", err))
	}
}

func (h *Holder) poll(ctx context.Context) {
	v, err := h.src.SettingsVersion(ctx)
	if err != nil {
		if ctx.Err() == nil {
			h.logger.Warn("poll runtime settings version", slog.Any("error", err))
		}
		return
	}
	if v != h.cur.Load().Version {
		h.reload(ctx)
	}
}
