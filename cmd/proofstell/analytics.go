package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	analyticsworker "github.com/proofstell/proofstell/actors/analytics"
	"github.com/proofstell/proofstell/actors/runtime/singleton"
	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/analytics/providers"
	"github.com/proofstell/proofstell/analytics/providers/ga4"
	"github.com/proofstell/proofstell/analytics/providers/mixpanel"
	"github.com/proofstell/proofstell/analytics/providers/plausible"
	"github.com/proofstell/proofstell/analytics/providers/posthog"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/rest"
	"github.com/proofstell/proofstell/persistence"
)

// analyticsRequestTimeout bounds one provider request.
const analyticsRequestTimeout = 30 * time.Second

// analyticsSenders are the senders of the providers that are on, and the
// names of those that are off.
func analyticsSenders(c config.Analytics, client *http.Client) (on []providers.Sender, off []string) {
	for _, name := range c.Providers() {
		if !c.On(name) {
			off = append(off, name)
			continue
		}
		switch name {
		case config.ProviderPostHog:
			on = append(on, posthog.New(posthog.Config{APIKey: c.PostHogAPIKey, Host: c.PostHogHost}, client))
		case config.ProviderMixpanel:
			on = append(on, mixpanel.New(mixpanel.Config{Token: c.MixpanelToken, Host: c.MixpanelAPIHost}, client))
		case config.ProviderPlausible:
			on = append(on, plausible.New(plausible.Config{Domain: c.PlausibleDomain, Host: c.PlausibleAPIHost}, client))
		case config.ProviderGA4:
			on = append(on, ga4.New(ga4.Config{MeasurementID: c.GAMeasurementID, APISecret: c.GAAPISecret, Host: c.GAAPIHost}, client))
		}
	}
	return on, off
}

// startAnalytics runs one worker per provider that is on, each a cluster
// singleton under its own lease ("analytics.<provider>"), so one node
// sends to a provider at a time and a provider down delays only its own
// worker. It says once which providers are off.
func (a *app) startAnalytics(workers context.Context) error {
	c := a.cfg.Analytics
	senders, off := analyticsSenders(c, &http.Client{Timeout: analyticsRequestTimeout})
	if len(off) > 0 {
		a.logger.Info("analytics providers off (not configured or ANALYTICS_ENABLED=false): nothing is sent to them",
			slog.Any("providers", off))
	}
	if len(senders) == 0 {
		return nil
	}
	if c.IDSecretGenerated {
		a.logger.Warn("ANALYTICS_ID_SECRET is not set: pseudonymous player ids are keyed by a random secret and change with this process")
	}
	metrics, err := analyticsworker.NewMetrics(prometheus.DefaultRegisterer)
	if err != nil {
		return fmt.Errorf("register analytics metrics: %w", err)
	}
	mapper := analytics.Mapper{IDs: analytics.NewIdentity(c.IDSecret)}
	for _, s := range senders {
		deps := analyticsworker.JobDeps{Interval: c.DrainInterval, Base: workers, Worker: analyticsworker.Deps{
			Store: a.store, Sender: s, Mapper: mapper, Metrics: metrics, Logger: a.logger, RequestTimeout: analyticsRequestTimeout,
			Enabled: a.analyticsOn,
		}}
		r, err := singleton.NewRunner(a.leases, a.node.System.Root, singleton.Options{
			Name: analyticsworker.ConsumerPrefix + s.Name(), Holder: a.node.Address() + "/" + uuid.NewString(),
			TTL: a.cfg.Cluster.SingletonTTL, RenewEvery: a.cfg.Cluster.SingletonRenew,
			Metrics: a.leaseMetrics, Logger: a.logger,
			Job: func(persistence.Lease) *actor.Props { return analyticsworker.JobProps(deps) },
		})
		if err != nil {
			return fmt.Errorf("analytics %s: %w", s.Name(), err)
		}
		a.analytics = append(a.analytics, r)
		a.goWorker(func() { _ = r.Run(workers) })
	}
	a.logger.Info("analytics on", slog.Int("providers", len(senders)))
	return nil
}

// analyticsDeps serve POST /api/v1/analytics/events: events are queued
// only when a provider is on (no worker would ever read them otherwise)
// and the runtime switch features.analytics is on.
func (a *app) analyticsDeps() rest.AnalyticsDeps {
	c := a.cfg.Analytics
	d := rest.AnalyticsDeps{PerMinute: c.ClientEventsPerMinute, MaxEvents: c.MaxClientEvents, Enabled: a.analyticsOn}
	if c.AnyOn() {
		d.Store = a.store
	}
	return d
}
