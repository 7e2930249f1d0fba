package rest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/gateway/mail/mailtest"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/redis"
)

// acctHarness is a router whose account routes run on real Postgres, Redis
// (lockout) and a real SMTP server, on a clock the test moves.
type acctHarness struct {
	*harness
	store *postgres.Store
	inbox *mailtest.Server
	clock *testclock.Clock
	deps  Deps // as the router was built, for variants
}

// newAcctHarness builds it with bcrypt at cost.
func newAcctHarness(t testing.TB, cost int) *acctHarness {
	t.Helper()
	clk := testclock.New(testNow)
	store := openStore(t)
	rc := acctRedis(t)
	lock, err := redis.NewLockout(rc, 5, 900*time.Second, 900*time.Second)
	require.NoError(t, err)
	inbox := mailtest.NewServer(t)
	sender, err := mail.NewSMTP(inbox.Config(), nil)
	require.NoError(t, err)
	queue := mail.NewQueue(sender, 16, 5*time.Second, nil)
	ran := make(chan struct{})
	go func() { defer close(ran); queue.Run(context.Background()) }()
	t.Cleanup(func() { require.NoError(t, queue.Stop(context.Background())); <-ran })
	passwords, err := auth.NewPasswords(cost)
	require.NoError(t, err)
	letters, err := mail.NewLetters("https://play.example.com")
	require.NoError(t, err)
	tokens := auth.NewTokens(testAuth(), store, store, clk.Now, rand.Reader)
	var deps Deps
	h := newHarness(t, tokens, store, store, func(d *Deps) {
		d.Now = clk.Now
		d.Accounts = AccountDeps{Store: store, Lockout: lock, Passwords: passwords, Letters: letters, Mail: queue}
		d.Security = SecurityDeps{Revocation: auth.NewRevocation(tokens, store, rc, rc, nil)}
		d.Referrals = testReferralDeps(store)
		deps = *d
	})
	return &acctHarness{harness: h, store: store, inbox: inbox, clock: clk, deps: deps}
}

// acctRedis is a Redis client on a key prefix of its own, emptied at cleanup.
func acctRedis(t testing.TB) *redis.Client {
	t.Helper()
	prefix := "pstest:accounts:" + uuid.NewString()[:8] + ":"
	c, err := redis.Open(context.Background(), config.Redis{URL: "redis://127.0.0.1:6379/0", Prefix: prefix})
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, c.Close())
		raw := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
		defer func() { _ = raw.Close() }()
		keys, err := raw.Keys(context.Background(), prefix+"*").Result()
		require.NoError(t, err)
		if len(keys) > 0 {
			require.NoError(t, raw.Del(context.Background(), keys...).Err())
		}
	})
	return c
}

// post sends body as JSON to an /api/v1 path; token "" is anonymous.
func (h *acctHarness) post(t testing.TB, path, token string, body any) *httptest.ResponseRecorder {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return h.do(t, request{Method: "POST", Path: "/api/v1" + path, Body: string(b), Token: token})
}

// register creates an account and takes its verification mail.
func (h *acctHarness) register(t testing.TB, email, username, password string) (tokenResponse, mailtest.Mail) {
	t.Helper()
	w := h.post(t, "/auth/register", "", map[string]string{"email": email, "username": username, "password": password})
	require.Equal(t, 201, w.Code, w.Body.String())
	return decode[tokenResponse](t, w), h.inbox.Next(t)
}

// login posts credentials.
func (h *acctHarness) login(t testing.TB, email, password string) *httptest.ResponseRecorder {
	t.Helper()
	return h.post(t, "/auth/login", "", map[string]string{"email": email, "password": password})
}

// requireMailTo checks m went to addr with subject.
func requireMailTo(t testing.TB, m mailtest.Mail, addr, subject string) {
	t.Helper()
	require.Equal(t, []string{addr}, m.To)
	require.Contains(t, m.Data, fmt.Sprintf("Subject: %s\r\n", subject))
}

// mailTokenOf takes the next mail and returns its token.
func mailTokenOf(t testing.TB, h *acctHarness) string {
	t.Helper()
	return mailtest.Token(t, h.inbox.Next(t))
}

// jsonUnmarshal decodes a response body string.
func jsonUnmarshal(body string, v any) error { return json.Unmarshal([]byte(body), v) }
