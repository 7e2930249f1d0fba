package config

import "time"

// Analytics configures the analytics fan-out (issue #16,
// docs/ANALYTICS.md). A provider is on when its settings are present;
// Enabled false turns every provider off.
type Analytics struct {
	Enabled bool
	// IDSecret keys the pseudonymous player ids (HMAC-SHA256); required in
	// production when a provider is on. IDSecretGenerated is set when it
	// was generated for development: ids then change with every process.
	IDSecret          string
	IDSecretGenerated bool

	PostHogAPIKey    string
	PostHogHost      string
	MixpanelToken    string
	MixpanelAPIHost  string
	PlausibleDomain  string
	PlausibleAPIHost string
	GAMeasurementID  string
	GAAPISecret      string
	GAAPIHost        string

	// DrainInterval is how often each provider's worker looks for new
	// outbox rows.
	DrainInterval time.Duration
	// ClientEventsPerMinute rate-limits POST /api/v1/analytics/events per
	// player (events, not requests); MaxClientEvents is the most events in
	// one request.
	ClientEventsPerMinute int
	MaxClientEvents       int
}

// Provider names, as the workers and metrics label them.
const (
	ProviderPostHog   = "posthog"
	ProviderMixpanel  = "mixpanel"
	ProviderPlausible = "plausible"
	ProviderGA4       = "ga4"
)

// On reports whether provider (a Provider* name) is configured and
// analytics is enabled.
func (a Analytics) On(provider string) bool {
	if !a.Enabled {
		return false
	}
	switch provider {
	case ProviderPostHog:
		return a.PostHogAPIKey != ""
	case ProviderMixpanel:
		return a.MixpanelToken != ""
	case ProviderPlausible:
		return a.PlausibleDomain != ""
	case ProviderGA4:
		return a.GAMeasurementID != "" && a.GAAPISecret != ""
	}
	return false
}

// Providers are the names of every provider, on or off.
func (a Analytics) Providers() []string {
	return []string{ProviderPostHog, ProviderMixpanel, ProviderPlausible, ProviderGA4}
}

// AnyOn reports whether at least one provider is on.
func (a Analytics) AnyOn() bool {
	for _, p := range a.Providers() {
		if a.On(p) {
			return true
		}
	}
	return false
}

func defaultAnalytics() Analytics {
	return Analytics{
		Enabled:     true,
		PostHogHost: "https://us.i.posthog.com", MixpanelAPIHost: "https://api.mixpanel.com",
		PlausibleAPIHost: "https://plausible.io", GAAPIHost: "https://www.google-analytics.com",
		DrainInterval: time.Second, ClientEventsPerMinute: 60, MaxClientEvents: 20,
	}
}

func (c Config) validateAnalytics(p *problems) {
	a := c.Analytics
	p.url("POSTHOG_HOST", a.PostHogHost, "http", "https")
	p.url("MIXPANEL_API_HOST", a.MixpanelAPIHost, "http", "https")
	p.url("PLAUSIBLE_API_HOST", a.PlausibleAPIHost, "http", "https")
	p.url("GA_API_HOST", a.GAAPIHost, "http", "https")
	if (a.GAMeasurementID == "") != (a.GAAPISecret == "") {
		p.add("GA_API_SECRET", "GA_MEASUREMENT_ID and GA_API_SECRET are set together")
	}
	p.between("ANALYTICS_DRAIN_INTERVAL", a.DrainInterval, 10*time.Millisecond, time.Hour)
	p.count("ANALYTICS_CLIENT_EVENTS_PER_MINUTE", int64(a.ClientEventsPerMinute), 1, 100_000)
	p.count("ANALYTICS_MAX_CLIENT_EVENTS", int64(a.MaxClientEvents), 1, 100)
	if !a.AnyOn() {
		return
	}
	switch {
	case a.IDSecret == "" && c.Env == EnvProduction:
		p.add("ANALYTICS_ID_SECRET", "required in production when an analytics provider is on")
	case a.IDSecretGenerated && c.Env == EnvProduction:
		p.add("ANALYTICS_ID_SECRET", "production refuses a generated secret")
	case c.Env != EnvDevelopment:
		p.secret("ANALYTICS_ID_SECRET", a.IDSecret)
	}
}
