package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
)

// TestStaticSettings_FollowConfig: the runtime settings' defaults come
// from the validated config and pass the settings' own checks.
func TestStaticSettings_FollowConfig(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.HTTP.RateUser, cfg.Analytics.Enabled, cfg.Mail.Host = 77, false, "smtp.example.com"
	s := staticSettings(cfg)
	require.NoError(t, s.Check())
	require.Equal(t, 77, s.RateLimits.User)
	require.False(t, s.Features.Analytics)
	require.True(t, s.Features.NotificationsEmail)
	require.True(t, s.Registration.Open)
	require.False(t, s.Maintenance.Enabled)
}
