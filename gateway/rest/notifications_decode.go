package rest

import (
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/proofstell/proofstell/persistence"
)

// Broadcast limits of POST /admin/notifications.
const (
	maxBroadcastTitle = 120
	maxBroadcastBody  = 2000
)

// broadcastRequest is the body of POST /admin/notifications.
type broadcastRequest struct {
	Title   *string `json:"title"`
	Body    *string `json:"body"`
	Segment *struct {
		Role        *string    `json:"role"`
		ActiveSince *time.Time `json:"activeSince"`
	} `json:"segment"`
}

// decodeBroadcast reads an admin broadcast: a title, an optional body and
// an optional segment (role, activeSince; absent: everyone).
func decodeBroadcast(body io.Reader) (persistence.Broadcast, error) {
	var req broadcastRequest
	if err := decodeBody(body, &req); err != nil {
		return persistence.Broadcast{}, err
	}
	var b persistence.Broadcast
	if req.Title == nil || strings.TrimSpace(*req.Title) == "" || utf8.RuneCountInString(*req.Title) > maxBroadcastTitle {
		return b, invalid("title", "title must be 1..120 characters")
	}
	b.Title = strings.TrimSpace(*req.Title)
	if req.Body != nil {
		if utf8.RuneCountInString(*req.Body) > maxBroadcastBody {
			return b, invalid("body", "body must be at most 2000 characters")
		}
		b.Body = *req.Body
	}
	if req.Segment == nil {
		return b, nil
	}
	if r := req.Segment.Role; r != nil {
		switch role := persistence.Role(*r); role {
		case persistence.RolePlayer, persistence.RoleModerator, persistence.RoleAdmin:
			b.Segment.Role = role
		default:
			return b, invalid("segment.role", "role must be player, moderator or admin")
		}
	}
	if req.Segment.ActiveSince != nil {
		b.Segment.ActiveSince = req.Segment.ActiveSince.UTC()
	}
	return b, nil
}
