package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/gateway/notices"
	"github.com/proofstell/proofstell/persistence"
)

// Inbox page bounds of GET /notifications.
const (
	defaultNotificationPage = 20
	maxNotificationPage     = 100
)

// NotificationDeps is what the notification routes need. A nil Store
// answers them with 500 (not configured).
type NotificationDeps struct {
	// Store keeps the inboxes the notification worker fills
	// (actors/notifications) and queues admin broadcasts.
	Store persistence.NotificationStore
	// UnsubscribeSecret verifies the one-click unsubscribe tokens of
	// notification mails (gateway/mail.UnsubscribeToken); empty refuses
	// every token.
	UnsubscribeSecret []byte
}

// notificationJSON is one inbox entry; its fields are those of the
// notification:alert frame plus readAt.
type notificationJSON struct {
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	Title     string          `json:"title"`
	Body      string          `json:"body"`
	Data      json.RawMessage `json:"data"`
	CreatedAt time.Time       `json:"createdAt"`
	ReadAt    *time.Time      `json:"readAt,omitempty"`
}

// notificationsResponse is the body of GET /notifications.
type notificationsResponse struct {
	Notifications []notificationJSON `json:"notifications"`
	Unread        int                `json:"unread"`
	NextCursor    string             `json:"nextCursor,omitempty"`
}

// notificationRoutes registers the caller's inbox and the admin broadcast
// on the authenticated group.
func (a *api) notificationRoutes(authed chi.Router, deps NotificationDeps) {
	h := notificationHandlers{store: deps.Store}
	a.preferenceRoutes(authed, deps.Store)
	authed.Get("/notifications", a.handle(h.list))
	authed.Post("/notifications/read-all", a.handle(h.readAll))
	authed.Post("/notifications/{id}/read", a.handle(h.read))
	authed.Delete("/notifications/{id}", a.handle(h.remove))
	authed.With(a.requireRole(persistence.RoleAdmin)).Post("/admin/notifications",
		a.handle(func(w http.ResponseWriter, r *http.Request) error { return a.broadcast(w, r, deps.Store) }))
}

// notificationHandlers serve the caller's own inbox.
type notificationHandlers struct{ store persistence.NotificationStore }

func (h notificationHandlers) list(w http.ResponseWriter, r *http.Request) error {
	if h.store == nil {
		return fmt.Errorf("notifications: %w", errNotConfigured)
	}
	q := r.URL.Query()
	unread := false
	if raw := q.Get("unread"); raw != "" {
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return badRequest("unread must be true or false", "unread")
		}
		unread = b
	}
	limit := defaultNotificationPage
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxNotificationPage {
			return badRequest(fmt.Sprintf("limit must be 1..%d", maxNotificationPage), "limit")
		}
		limit = n
	}
	page, err := h.store.Notifications(r.Context(), playerID(r), unread, q.Get("cursor"), limit)
	if err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	out := notificationsResponse{Notifications: make([]notificationJSON, 0, len(page.Items)), Unread: page.Unread,
		NextCursor: page.Next}
	for _, n := range page.Items {
		out.Notifications = append(out.Notifications, newNotificationJSON(localeOf(r.Context()), n))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h notificationHandlers) read(w http.ResponseWriter, r *http.Request) error {
	if h.store == nil {
		return fmt.Errorf("read notification: %w", errNotConfigured)
	}
	if err := h.store.MarkNotificationRead(r.Context(), playerID(r), chi.URLParam(r, "id")); err != nil {
		return fmt.Errorf("read notification: %w", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h notificationHandlers) readAll(w http.ResponseWriter, r *http.Request) error {
	if h.store == nil {
		return fmt.Errorf("read all notifications: %w", errNotConfigured)
	}
	n, err := h.store.MarkAllNotificationsRead(r.Context(), playerID(r))
	if err != nil {
		return fmt.Errorf("read all notifications: %w", err)
	}
	writeJSON(w, http.StatusOK, map[string]int{"marked": n})
	return nil
}

func (h notificationHandlers) remove(w http.ResponseWriter, r *http.Request) error {
	if h.store == nil {
		return fmt.Errorf("delete notification: %w", errNotConfigured)
	}
	if err := h.store.DeleteNotification(r.Context(), playerID(r), chi.URLParam(r, "id")); err != nil {
		return fmt.Errorf("delete notification: %w", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// broadcast queues an admin broadcast; the worker stores it for the
// segment in bounded batches and alerts who is online, so the answer is
// 202 with the broadcast's id.
func (a *api) broadcast(w http.ResponseWriter, r *http.Request, store persistence.NotificationStore) error {
	if store == nil {
		return fmt.Errorf("broadcast: %w", errNotConfigured)
	}
	b, err := readBody(a, w, r, decodeBroadcast)
	if err != nil {
		return err
	}
	id, err := store.QueueBroadcast(r.Context(), a.auditActor(r), b)
	if err != nil {
		return fmt.Errorf("broadcast: %w", err)
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"id": id})
	return nil
}

// newNotificationJSON renders an inbox entry.
func newNotificationJSON(l locale, n persistence.Notification) notificationJSON {
	data := n.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	title, body := notices.Localize(l.cat, l.lang, n)
	out := notificationJSON{ID: n.ID, Kind: n.Kind, Title: title, Body: body, Data: data,
		CreatedAt: n.CreatedAt.UTC()}
	if !n.ReadAt.IsZero() {
		out.ReadAt = optionalTime(n.ReadAt.UTC())
	}
	return out
}
