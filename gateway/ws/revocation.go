package ws

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/proofstell/proofstell/gateway/auth"
)

// rejectRevoked labels proofstell_ws_rejected_total for a revoked token at handshake.
const rejectRevoked = "revoked"

// admission is Deps.Admit's verdict on a token, as both gateways act on it.
type admission int

const (
	admitted admission = iota
	// admitRevoked: the token was revoked (401 "revoked" on /ws,
	// CONNECT_ERROR "revoked" on Socket.IO).
	admitRevoked
	// admitUnavailable: revocation state cannot be checked; the gateway
	// fails closed (503 on /ws, CONNECT_ERROR "unavailable").
	admitUnavailable
)

// checkAdmission runs Deps.Admit (nil admits every verified token).
func (h *Handler) checkAdmission(ctx context.Context, token string) admission {
	if h.deps.Admit == nil {
		return admitted
	}
	err := h.deps.Admit(ctx, token)
	switch {
	case err == nil:
		return admitted
	case errors.Is(err, auth.ErrRevocationUnavailable):
		h.deps.Logger.Warn("websocket revocation check failed", slog.String("error", err.Error()))
		return admitUnavailable
	default:
		return admitRevoked
	}
}

// admit runs Deps.Admit and answers a refusal itself.
func (h *Handler) admit(w http.ResponseWriter, r *http.Request, token string) bool {
	switch h.checkAdmission(r.Context(), token) {
	case admitUnavailable:
		h.refuse(w, http.StatusServiceUnavailable, rejectShutdown, "unavailable", "service temporarily unavailable")
	case admitRevoked:
		h.refuse(w, http.StatusUnauthorized, rejectRevoked, "revoked", "access token revoked")
	case admitted:
		return true
	}
	return false
}

// closeAtExpiry arms a timer that closes c with 4001 when its access token
// expires and returns it, for the caller to stop; nil when the token does
// not expire. The delay is measured on the injected clock at connect time.
func (h *Handler) closeAtExpiry(c *conn) *time.Timer {
	if c.id.ExpiresAt.IsZero() {
		return nil
	}
	left := c.id.ExpiresAt.Sub(h.deps.Now())
	return time.AfterFunc(max(left, 0), c.closeExpired)
}

// closeExpired closes c because its access token expired.
func (c *conn) closeExpired() { c.Close(CloseAuthExpired, ReasonTokenExpired) }

// CloseSignIn closes the sockets of playerID opened with the access token
// tokenID or with any access token of the refresh family familyID (either
// may be empty), and reports how many it closed.
func (h *Handler) CloseSignIn(playerID, tokenID, familyID string, code int, reason string) int {
	n := 0
	for _, c := range h.reg.player(playerID) {
		id := c.identity()
		if (tokenID != "" && id.TokenID == tokenID) || (familyID != "" && id.FamilyID == familyID) {
			c.Close(code, reason)
			n++
		}
	}
	return n
}

// Subscriber is the bus side the listener needs (persistence.Bus).
type Subscriber interface {
	Subscribe(ctx context.Context, prefix string, deliver func(topic string, payload []byte)) error
}

// RevocationListener closes this node's sockets named by revocation events
// published by any node (auth.Revocation), so a logout or ban reaches every
// socket of the cluster.
type RevocationListener struct {
	bus     Subscriber
	handler *Handler
	logger  *slog.Logger
}

// NewRevocationListener returns the listener of one node; cmd runs it for
// the node's lifetime.
func NewRevocationListener(bus Subscriber, handler *Handler, logger *slog.Logger) *RevocationListener {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &RevocationListener{bus: bus, handler: handler, logger: logger}
}

// Run subscribes, then blocks until ctx ends. It returns an error only when
// the subscription cannot be made; the bus reconnects by itself afterwards.
func (l *RevocationListener) Run(ctx context.Context) error {
	if err := l.bus.Subscribe(ctx, auth.RevocationTopicPrefix, l.deliver); err != nil {
		return fmt.Errorf("revocation listener: %w", err)
	}
	<-ctx.Done()
	return nil
}

// Ready subscribes like Run but returns at once; for callers that must know
// the subscription is live before going on (tests, ordered start-up).
func (l *RevocationListener) Ready(ctx context.Context) error {
	if err := l.bus.Subscribe(ctx, auth.RevocationTopicPrefix, l.deliver); err != nil {
		return fmt.Errorf("revocation listener: %w", err)
	}
	return nil
}

// deliver applies one event; it never blocks (Close only records a request).
func (l *RevocationListener) deliver(_ string, payload []byte) {
	ev, err := auth.DecodeRevocationEvent(payload)
	if err != nil {
		l.logger.Warn("bad revocation event", slog.String("error", err.Error()))
		return
	}
	var n int
	switch ev.Reason {
	case auth.ReasonBanned:
		n = l.handler.CloseUser(ev.PlayerID, ClosePolicyViolation, ReasonBanned)
	case auth.ReasonLogout, auth.ReasonFamilyRevoked:
		n = l.handler.CloseSignIn(ev.PlayerID, ev.TokenID, ev.SessionID, CloseRevoked, ReasonRevoked)
	default:
		n = l.handler.CloseUser(ev.PlayerID, CloseRevoked, ReasonRevoked)
	}
	if n > 0 {
		l.logger.Info("sockets closed by revocation", slog.String("player_id", ev.PlayerID),
			slog.String("reason", ev.Reason), slog.Int("sockets", n))
	}
}

// Sweep re-checks the revocation of every open socket on this node
// (Deps.Recheck) and closes the revoked ones with 4003, reporting how many.
// Revocation events reach sockets at most once (Redis pub/sub); the sweep
// bounds how long a socket whose event this node missed stays open. It
// stops at the first unavailable answer and returns that error.
func (h *Handler) Sweep(ctx context.Context) (int, error) {
	if h.deps.Recheck == nil {
		return 0, nil
	}
	closed := 0
	for _, c := range h.reg.all() {
		err := h.deps.Recheck(ctx, c.identity())
		switch {
		case err == nil:
		case errors.Is(err, auth.ErrRevoked):
			c.Close(CloseRevoked, ReasonRevoked)
			closed++
		default:
			return closed, fmt.Errorf("revocation sweep: %w", err)
		}
	}
	return closed, nil
}
