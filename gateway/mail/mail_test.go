package mail

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/mail/mailtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const testToken = "tok_abcDEF123-xyz"

func letters(t *testing.T) *Letters {
	t.Helper()
	l, err := NewLetters("https://play.example.com/game/")
	require.NoError(t, err)
	return l
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestSMTP_SendsOverRealServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     func(t *testing.T) []mailtest.Option
		wantTLS  bool
		wantUser string
	}{
		{name: "plain", opts: func(*testing.T) []mailtest.Option { return nil }},
		{name: "starttls and auth", opts: func(t *testing.T) []mailtest.Option {
			return []mailtest.Option{mailtest.WithTLSAuth(t, "relay", "s3cret")}
		}, wantTLS: true, wantUser: "relay"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := mailtest.NewServer(t, tc.opts(t)...)
			s, err := NewSMTP(srv.Config(), nil, WithRootCAs(srv.RootCAs()))
			require.NoError(t, err)
			msg := letters(t).Verification("alice@example.com", "alice", testToken, 24*time.Hour)
			require.NoError(t, s.Send(ctxT(t), msg))

			got := srv.Next(t)
			require.Equal(t, "no-reply@proofstell.test", got.From)
			require.Equal(t, []string{"alice@example.com"}, got.To)
			require.Equal(t, tc.wantTLS, got.TLS)
			require.Equal(t, tc.wantUser, got.User)
			require.Contains(t, got.Data, "Subject: Confirm your ProofStell email\r\n")
			require.Contains(t, got.Data, "https://play.example.com/game/verify-email?token="+testToken)
			require.Equal(t, testToken, mailtest.Token(t, got))
		})
	}
}

func TestSMTP_WrongPasswordFails(t *testing.T) {
	t.Parallel()
	srv := mailtest.NewServer(t, mailtest.WithTLSAuth(t, "relay", "s3cret"))
	cfg := srv.Config()
	cfg.Pass = "wrong"
	s, err := NewSMTP(cfg, nil, WithRootCAs(srv.RootCAs()))
	require.NoError(t, err)
	require.Error(t, s.Send(ctxT(t), letters(t).AccountExists("a@example.com", "a")))
	require.Zero(t, srv.Pending())
}

func TestSMTP_UntrustedCertificateFails(t *testing.T) {
	t.Parallel()
	srv := mailtest.NewServer(t, mailtest.WithTLSAuth(t, "relay", "s3cret"))
	s, err := NewSMTP(srv.Config(), nil) // system roots do not trust the test CA
	require.NoError(t, err)
	require.ErrorContains(t, s.Send(ctxT(t), letters(t).AccountExists("a@example.com", "a")), "starttls")
}

func TestSMTP_DisabledLogsWithoutSecrets(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s, err := NewSMTP(mailtestDisabled(), slog.New(slog.NewJSONHandler(&logs, nil)))
	require.NoError(t, err)
	require.False(t, s.Enabled())
	require.NoError(t, s.Send(ctxT(t), letters(t).PasswordReset("bob@example.com", "bob", testToken, time.Hour)))
	require.Contains(t, logs.String(), "mail skipped")
	require.Contains(t, logs.String(), KindPasswordReset)
	require.NotContains(t, logs.String(), testToken)
	require.NotContains(t, logs.String(), "bob@example.com")
}

func TestMessage_RejectsHeaderInjection(t *testing.T) {
	t.Parallel()
	m := Message{To: "a@example.com\r\nBcc: victim@example.com", Subject: "x", Text: "y"}
	_, err := m.encode("no-reply@example.com", time.Now())
	require.ErrorIs(t, err, errHeaderInjection)
	for _, h := range [][2]string{{"List-Unsubscribe", "<x>\r\nBcc: v@example.com"}, {"Bcc: v", "x"}, {"", "x"}} {
		m = Message{To: "a@example.com", Subject: "x", Text: "y", Headers: [][2]string{h}}
		_, err = m.encode("no-reply@example.com", time.Now())
		require.ErrorIs(t, err, errHeaderInjection, "%q", h)
	}
}

func TestMessage_EncodesHeadersAndUTF8Subject(t *testing.T) {
	t.Parallel()
	m := Message{To: "a@example.com", Subject: "Insignia obtenida: Centurión", Text: "y",
		Headers: [][2]string{{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}}}
	raw, err := m.encode("no-reply@example.com", time.Now())
	require.NoError(t, err)
	require.Contains(t, string(raw), "Subject: =?utf-8?q?Insignia_obtenida:_Centuri=C3=B3n?=\r\n")
	require.Contains(t, string(raw), "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
}

func TestLetters(t *testing.T) {
	t.Parallel()
	_, err := NewLetters("not a url")
	require.Error(t, err)
	l := letters(t)
	reset := l.PasswordReset("c@example.com", "carol", testToken, time.Hour)
	require.Contains(t, reset.Text, "https://play.example.com/game/reset-password?token="+testToken)
	require.Equal(t, KindPasswordReset, reset.Kind)
	exists := l.AccountExists("c@example.com", "carol")
	require.NotContains(t, exists.Text, "token=")
}

func mailtestDisabled() config.Mail { return config.Mail{From: "no-reply@example.com"} }

// recorder is a Sender that blocks until released, to fill the queue.
type recorder struct {
	release chan struct{}
	sent    chan Message
}

func (r *recorder) Send(ctx context.Context, m Message) error {
	select {
	case <-r.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	r.sent <- m
	return nil
}

func TestQueue_BoundedAndDrainsOnStop(t *testing.T) {
	t.Parallel()
	rec := &recorder{release: make(chan struct{}), sent: make(chan Message, 8)}
	q := NewQueue(rec, 2, 5*time.Second, nil)
	ran := make(chan struct{})
	go func() { defer close(ran); q.Run(context.Background()) }()

	require.NoError(t, q.Enqueue(Message{Kind: "a"}))
	// The worker takes "a" and blocks in Send; two more fill the queue.
	require.Eventually(t, func() bool { return len(q.ch) == 0 }, 5*time.Second, time.Millisecond)
	require.NoError(t, q.Enqueue(Message{Kind: "b"}))
	require.NoError(t, q.Enqueue(Message{Kind: "c"}))
	require.ErrorIs(t, q.Enqueue(Message{Kind: "d"}), ErrQueueFull, "overflow rejects")

	close(rec.release)
	require.NoError(t, q.Stop(ctxT(t)))
	require.NoError(t, q.Stop(ctxT(t)), "idempotent")
	<-ran
	var kinds []string
	for len(rec.sent) > 0 {
		kinds = append(kinds, (<-rec.sent).Kind)
	}
	require.Equal(t, "a,b,c", strings.Join(kinds, ","), "queued mails are sent before Run returns")
}
