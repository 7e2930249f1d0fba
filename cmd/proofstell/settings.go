package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/settings"
)

// staticSettings are the runtime settings' defaults: what config (env)
// says, in force for every setting admins never set.
func staticSettings(cfg config.Config) settings.Settings {
	return settings.Settings{
		Registration: settings.Registration{Open: true},
		Games:        settings.Games{}, // the dynamic difficulty picks a modeless game:start
		RateLimits:   settings.RateLimits{Anonymous: cfg.HTTP.RateAnonymous, User: cfg.HTTP.RateUser, Auth: cfg.HTTP.RateAuth},
		Features: settings.Features{Analytics: cfg.Analytics.Enabled, Referrals: true, Challenges: true,
			NotificationsEmail: cfg.Mail.Host != ""},
	}
}

// startSettings loads the runtime settings and keeps them true to
// PostgreSQL: a reload on every change notification (migration 032) and a
// version poll every settings.PollInterval for a missed one.
func (a *app) startSettings(ctx, workers context.Context) error {
	defaults := staticSettings(a.cfg)
	if err := defaults.Check(); err != nil {
		return fmt.Errorf("static settings: %w", err)
	}
	a.settings = settings.NewHolder(defaults, a.store, a.logger)
	if err := a.settings.Load(ctx); err != nil {
		return err
	}
	a.goWorker(func() {
		a.store.ListenSettings(workers, a.settings.Changed, func(err error) {
			a.logger.Warn("settings listener dropped, reconnecting", slog.Any("error", err))
		})
	})
	ticker := time.NewTicker(settings.PollInterval)
	a.goWorker(func() {
		defer ticker.Stop()
		a.settings.Run(workers, ticker.C)
	})
	return nil
}

// announceMaintenance sends system:maintenance to every socket of this
// node whenever the node sees maintenance start, change or end. Every node
// does so from its own holder, so each socket gets one frame however the
// change reached the node (notification, poll), and none depends on a bus
// message.
func (a *app) announceMaintenance() {
	a.settings.Observe(func(before, after settings.Settings) {
		if before.Maintenance.Equal(after.Maintenance) {
			return
		}
		a.logger.Info("maintenance mode changed", slog.Bool("enabled", after.Maintenance.Enabled))
		a.hub.Local(player.EveryoneTopic, &protos.ClientEvent{Type: events.TypeSystemMaintenance,
			Data: player.MaintenanceFrame(after)})
	})
}

// Each optional module is handed its own switch, read lock-free from the
// holder on every use, so an admin's change is followed without a restart
// and the module knows nothing of the other settings.

// analyticsOn is the switch of the analytics workers and client events.
func (a *app) analyticsOn() bool { return a.settings.Current().Features.Analytics }

// referralsOn is the switch of referral sign-ups and rewards.
func (a *app) referralsOn() bool { return a.settings.Current().Features.Referrals }

// notificationMailOn is the switch of notification mails.
func (a *app) notificationMailOn() bool { return a.settings.Current().Features.NotificationsEmail }
