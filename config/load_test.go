package config

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// env turns a map into a getenv function.
func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// prodSecret is a valid production-length secret.
var prodSecret = strings.Repeat("s", 40)

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		check   func(t *testing.T, c Config)
		wantErr []string // every variable the error must name
	}{
		{name: "defaults with generated secret", env: nil, check: func(t *testing.T, c Config) {
			want := Default()
			want.Auth.JWTSecret, want.Auth.SecretGenerated = c.Auth.JWTSecret, true
			want.Challenges = Challenges{Secret: c.Challenges.Secret, SecretGenerated: true}
			want.Analytics.IDSecret, want.Analytics.IDSecretGenerated = c.Analytics.IDSecret, true
			want.Referrals.FingerprintSecret, want.Referrals.FingerprintSecretGenerated = c.Referrals.FingerprintSecret, true
			require.Equal(t, want, c)
			require.NotEqual(t, c.Challenges.Secret, c.Analytics.IDSecret)
			require.NotEqual(t, c.Auth.JWTSecret, c.Challenges.Secret, "each secret is generated on its own")
			require.NotEqual(t, c.Challenges.Secret, c.Referrals.FingerprintSecret, "each secret is generated on its own")
			require.Len(t, c.Auth.JWTSecret, 64, "48 random bytes, base64url")
		}},
		{name: "test env generates too", env: map[string]string{"NODE_ENV": "test"}, check: func(t *testing.T, c Config) {
			require.Equal(t, EnvTest, c.Env)
			require.True(t, c.Auth.SecretGenerated)
		}},
		{name: "PORT builds the address", env: map[string]string{"PORT": "8080"}, check: func(t *testing.T, c Config) {
			require.Equal(t, ":8080", c.HTTP.Addr)
		}},
		{name: "HTTP_ADDR overrides PORT", env: map[string]string{"PORT": "8080", "HTTP_ADDR": "127.0.0.1:9000"},
			check: func(t *testing.T, c Config) { require.Equal(t, "127.0.0.1:9000", c.HTTP.Addr) }},
		{name: "PUBLIC_URL follows PORT", env: map[string]string{"PORT": "8080"}, check: func(t *testing.T, c Config) {
			require.Equal(t, "http://localhost:8080", c.HTTP.PublicURL)
		}},
		{name: "PUBLIC_URL follows HTTP_ADDR", env: map[string]string{"HTTP_ADDR": "127.0.0.1:9000"},
			check: func(t *testing.T, c Config) { require.Equal(t, "http://127.0.0.1:9000", c.HTTP.PublicURL) }},
		{name: "PUBLIC_URL set wins", env: map[string]string{"HTTP_ADDR": "0.0.0.0:9000", "PUBLIC_URL": "https://play.example.com"},
			check: func(t *testing.T, c Config) { require.Equal(t, "https://play.example.com", c.HTTP.PublicURL) }},
		{name: "PUBLIC_URL with a path", env: map[string]string{"PUBLIC_URL": "https://play.example.com/game"},
			wantErr: []string{"PUBLIC_URL"}},
		{name: "durations in Go syntax or milliseconds", env: map[string]string{
			"GAME_LAG_CAP": "120ms", "GAME_TICK_INTERVAL": "25ms", "SHUTDOWN_TIMEOUT": "1m30s",
		}, check: func(t *testing.T, c Config) {
			require.Equal(t, 120*time.Millisecond, c.Game.LagCap)
			require.Equal(t, 25*time.Millisecond, c.Game.TickInterval)
			require.Equal(t, 90*time.Second, c.Shutdown)
		}},
		{name: "numbers, booleans, lists", env: map[string]string{
			"DATABASE_MAX_CONNS": "32", "DATABASE_CREATE": "false", "MAX_BODY_BYTES": "1024",
			"WS_MESSAGE_RATE": "12.5", "ALLOWED_ORIGINS": " https://a.example.com, ,http://localhost:5173 ",
			"REDIS_PREFIX": "blue:", "LEADERBOARD_TOP_N": "50",
		}, check: func(t *testing.T, c Config) {
			require.Equal(t, int32(32), c.Database.MaxConns)
			require.False(t, c.Database.CreateIfMissing)
			require.Equal(t, int64(1024), c.HTTP.MaxBodyBytes)
			require.InDelta(t, 12.5, c.WS.MessageRate, 1e-9)
			require.Equal(t, []string{"https://a.example.com", "http://localhost:5173"}, c.HTTP.AllowedOrigins)
			require.Equal(t, "blue:", c.Redis.Prefix)
			require.Equal(t, 50, c.Board.TopN)
		}},
		{name: "actor queues and timeouts", env: map[string]string{
			"GAME_MAX_STASH": "2048", "LEADERBOARD_REBUILD_TIMEOUT": "90s", "LEADERBOARD_MAX_STASH": "500",
			"LEADERBOARD_FREEZE_TIMEOUT": "5m", "ACTOR_IO_TIMEOUT": "2500ms", "FANOUT_PUBLISH_QUEUE": "8192",
			"BADGE_DRAIN_INTERVAL": "250ms", "MAIL_QUEUE_SIZE": "16", "MAIL_SEND_TIMEOUT": "1m",
			"MINT_POLL_INTERVAL": "500ms",
		}, check: func(t *testing.T, c Config) {
			require.Equal(t, 2048, c.Game.MaxStash)
			require.Equal(t, 90*time.Second, c.Board.RebuildTimeout)
			require.Equal(t, 500, c.Board.MaxStash)
			require.Equal(t, 5*time.Minute, c.Board.FreezeTimeout)
			require.Equal(t, 2500*time.Millisecond, c.Actors.IOTimeout)
			require.Equal(t, 8192, c.Actors.FanoutQueue)
			require.Equal(t, 250*time.Millisecond, c.Actors.BadgeDrainInterval)
			require.Equal(t, 16, c.Mail.QueueSize)
			require.Equal(t, time.Minute, c.Mail.SendTimeout)
			require.Equal(t, 500*time.Millisecond, c.Chain.MintPollInterval)
			require.Equal(t, Default().HTTP.RequestTimeout, c.HTTP.RequestTimeout, "actors no longer borrow the REST budget")
		}},
		{name: "production with its secrets", env: map[string]string{
			"NODE_ENV": "production", "JWT_SECRET": prodSecret, "CHALLENGE_SECRET": prodSecret, "REFERRAL_FINGERPRINT_SECRET": prodSecret, "ALLOWED_ORIGINS": "https://play.example.com",
		}, check: func(t *testing.T, c Config) {
			require.Equal(t, prodSecret, c.Auth.JWTSecret)
			require.False(t, c.Auth.SecretGenerated)
			require.Equal(t, Challenges{Secret: prodSecret}, c.Challenges)
			require.False(t, c.Analytics.AnyOn(), "no provider settings: analytics sends nothing")
		}},
		{name: "analytics providers by their original names", env: map[string]string{
			"POSTHOG_API_KEY": "phc_1", "POSTHOG_HOST": "https://eu.i.posthog.com", "MIXPANEL_TOKEN": "mp", "MIXPANEL_API_HOST": "https://api-eu.mixpanel.com",
			"PLAUSIBLE_DOMAIN": "play.example.com", "PLAUSIBLE_API_HOST": "https://stats.example.com",
			"GA_MEASUREMENT_ID": "G-1", "GA_API_SECRET": "ga", "GA_API_HOST": "https://region1.google-analytics.com",
		}, check: func(t *testing.T, c Config) {
			a := c.Analytics
			for _, p := range a.Providers() {
				require.True(t, a.On(p), p)
			}
			require.Equal(t, "https://api-eu.mixpanel.com", a.MixpanelAPIHost)
			require.Equal(t, "https://region1.google-analytics.com", a.GAAPIHost)
			a.Enabled = false
			require.False(t, a.AnyOn(), "ANALYTICS_ENABLED=false turns every provider off")
		}},
		{name: "production with an analytics provider needs the id secret", env: map[string]string{
			"NODE_ENV": "production", "JWT_SECRET": prodSecret, "CHALLENGE_SECRET": prodSecret, "REFERRAL_FINGERPRINT_SECRET": prodSecret, "ALLOWED_ORIGINS": "https://play.example.com",
			"MIXPANEL_TOKEN": "mp",
		}, wantErr: []string{"ANALYTICS_ID_SECRET"}},
		{name: "api docs are off in production unless asked for", env: map[string]string{
			"NODE_ENV": "production", "JWT_SECRET": prodSecret, "CHALLENGE_SECRET": prodSecret, "REFERRAL_FINGERPRINT_SECRET": prodSecret, "ALLOWED_ORIGINS": "https://play.example.com",
		}, check: func(t *testing.T, c Config) {
			require.False(t, c.HTTP.APIDocs)
		}},
		{name: "api docs in production with API_DOCS=true", env: map[string]string{
			"NODE_ENV": "production", "JWT_SECRET": prodSecret, "CHALLENGE_SECRET": prodSecret, "REFERRAL_FINGERPRINT_SECRET": prodSecret, "ALLOWED_ORIGINS": "https://play.example.com",
			"API_DOCS": "true",
		}, check: func(t *testing.T, c Config) {
			require.True(t, c.HTTP.APIDocs)
		}},
		{name: "api docs turned off in development", env: map[string]string{"API_DOCS": "false"},
			check: func(t *testing.T, c Config) { require.False(t, c.HTTP.APIDocs) }},
		{name: "api docs setting that is not a boolean", env: map[string]string{"API_DOCS": "sometimes"},
			wantErr: []string{"API_DOCS"}},
		{name: "production without secret or origins", env: map[string]string{
			"NODE_ENV": "production", "ALLOWED_ORIGINS": "*",
		}, wantErr: []string{"JWT_SECRET", "ALLOWED_ORIGINS", "CHALLENGE_SECRET", "REFERRAL_FINGERPRINT_SECRET"}},
		{name: "every parse and validation problem together", env: map[string]string{
			"PORT": "http", "GAME_LAG_CAP": "soon", "DATABASE_MAX_CONNS": "9999999999",
			"DATABASE_CREATE": "maybe", "WS_MESSAGE_RATE": "fast", "REDIS_URL": "http://x",
			"CLUSTER_PROVIDER": "consul",
		}, wantErr: []string{"PORT", "GAME_LAG_CAP", "DATABASE_MAX_CONNS", "DATABASE_CREATE",
			"WS_MESSAGE_RATE", "REDIS_URL", "CLUSTER_PROVIDER"}},
		{name: "queue sizes and timeouts that do not parse or fit", env: map[string]string{
			"FANOUT_PUBLISH_QUEUE": "lots", "ACTOR_IO_TIMEOUT": "soon", "GAME_MAX_STASH": "-1",
			"MAIL_SEND_TIMEOUT": "0",
		}, wantErr: []string{"ACTOR_IO_TIMEOUT", "FANOUT_PUBLISH_QUEUE", "GAME_MAX_STASH", "MAIL_SEND_TIMEOUT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(env(tt.env))
			if len(tt.wantErr) == 0 {
				require.NoError(t, err)
				tt.check(t, c)
				return
			}
			require.Error(t, err)
			for _, name := range tt.wantErr {
				require.Contains(t, err.Error(), name+":")
			}
			require.Len(t, strings.Split(err.Error(), "\n"), len(tt.wantErr), err.Error())
		})
	}
}

func TestLoad_secretsAreRandom(t *testing.T) {
	t.Parallel()
	a, err := Load(env(nil))
	require.NoError(t, err)
	b, err := Load(env(nil))
	require.NoError(t, err)
	require.NotEqual(t, a.Auth.JWTSecret, b.Auth.JWTSecret)
}

func TestLoad_defaultsRoundTrip(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"JWT_SECRET": prodSecret, "CHALLENGE_SECRET": prodSecret, "ANALYTICS_ID_SECRET": prodSecret,
		"REFERRAL_FINGERPRINT_SECRET": prodSecret}
	for _, v := range Variables() {
		if v.Default != "" {
			vars[v.Name] = v.Default
		}
	}
	got, err := Load(env(vars))
	require.NoError(t, err)
	want := Default()
	want.Auth.JWTSecret = prodSecret
	want.Challenges.Secret = prodSecret
	want.Analytics.IDSecret = prodSecret
	want.Referrals.FingerprintSecret = prodSecret
	require.Equal(t, want, got, "setting every variable to its documented default changes nothing")
}

func TestVariables(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("load.go")
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, v := range Variables() {
		require.False(t, seen[v.Name], "duplicate %s", v.Name)
		seen[v.Name] = true
		require.NotEmpty(t, v.Help, v.Name)
		require.Contains(t, string(doc), "//\t"+v.Name+" ", "%s missing from Load's doc table", v.Name)
	}
	require.True(t, seen["JWT_SECRET"])
	require.Less(t, indexOf(Variables(), "PORT"), indexOf(Variables(), "HTTP_ADDR"), "HTTP_ADDR must win")
}

// The README's configuration table lists every variable with its default,
// in load order, so operators find every knob there.
func TestVariables_README(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, section, found := strings.Cut(string(readme), "\n## Configuration\n")
	require.True(t, found, "README has a Configuration section")
	section, _, _ = strings.Cut(section, "\n## ")
	var rows []string
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| `") {
			rows = append(rows, line)
		}
	}
	var want []string
	for _, v := range Variables() {
		def := v.Default
		if def == "" {
			def = "—"
		}
		want = append(want, "| `"+v.Name+"` | `"+def+"` |")
	}
	require.Len(t, rows, len(want), "one README row per variable")
	for i, w := range want {
		require.True(t, strings.HasPrefix(rows[i], w), "README row %d: want %q, got %q", i, w, rows[i])
	}
}

func indexOf(vars []Variable, name string) int {
	for i, v := range vars {
		if v.Name == name {
			return i
		}
	}
	return -1
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{in: "150ms", want: 150 * time.Millisecond},
		{in: "2m", want: 2 * time.Minute},
		{in: "30s", want: 30 * time.Second},
		{in: "0", want: 0},
		{in: "0.0", want: 0},
		{in: "1500", wantErr: true},
		{in: "-5", wantErr: true},
		{in: "1.5", wantErr: true},
		{in: "ms", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if tt.wantErr {
			require.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
}

// A unitless duration names its variable and suggests the units, instead of
// silently meaning milliseconds; 0 (off) needs none.
func TestLoad_BareDurationRefused(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{"GAME_RESUME_WINDOW": "30", "WS_PONG_WAIT": "15"}))
	require.Error(t, err)
	require.Contains(t, err.Error(), `GAME_RESUME_WINDOW: invalid value "30": a duration needs a unit: write 30s or 30ms`)
	require.Contains(t, err.Error(), `WS_PONG_WAIT: invalid value "15": a duration needs a unit: write 15s or 15ms`)

	c, err := Load(env(map[string]string{"ADMISSION_SCHED_LATENCY": "0", "LOG_RATE_INTERVAL": "0"}))
	require.NoError(t, err)
	require.Zero(t, c.Admission.SchedLatency)
	require.Zero(t, c.LogRateInterval)
}

// STARKNET_CHAIN_ID is checked at start against the known chains; a devnet
// or appchain id needs the explicit STARKNET_CUSTOM_CHAIN.
func TestLoad_StarknetChainID(t *testing.T) {
	t.Parallel()
	_, err := Load(env(map[string]string{"STARKNET_CHAIN_ID": "SN_SEPOLA"}))
	require.ErrorContains(t, err, `STARKNET_CHAIN_ID: unknown chain "SN_SEPOLA": want SN_MAIN or SN_SEPOLIA; set STARKNET_CUSTOM_CHAIN=true`)
	c, err := Load(env(map[string]string{"STARKNET_CHAIN_ID": "KATANA", "STARKNET_CUSTOM_CHAIN": "true"}))
	require.NoError(t, err)
	require.Equal(t, "KATANA", c.Chain.StarknetChainID)
}

// The seed's *_SECONDS variables are whole seconds: "900" is 15 minutes.
// (A plain integer elsewhere is milliseconds, which once made a lockout
// window of 60 ms.)
func TestLoad_SecondsMeanSeconds(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"AUTH_ATTEMPT_WINDOW_SECONDS": "900", "AUTH_LOCKOUT_DURATION_SECONDS": "60"}))
	require.NoError(t, err)
	require.Equal(t, 15*time.Minute, c.Auth.AttemptWindow)
	require.Equal(t, time.Minute, c.Auth.LockoutDuration)
	for _, bad := range []string{"15m", "1.5", "-1", "x"} {
		_, err := Load(env(map[string]string{"AUTH_LOCKOUT_DURATION_SECONDS": bad}))
		require.ErrorContains(t, err, "AUTH_LOCKOUT_DURATION_SECONDS", bad)
	}
}

func TestLocalOrigin(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		":3000":          "http://localhost:3000",
		"0.0.0.0:8080":   "http://localhost:8080",
		"[::]:8080":      "http://localhost:8080",
		"127.0.0.1:9000": "http://127.0.0.1:9000",
		"[::1]:9000":     "http://[::1]:9000",
		"game.lan:80":    "http://game.lan:80",
	} {
		require.Equal(t, want, LocalOrigin(addr), addr)
	}
}
