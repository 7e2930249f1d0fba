package config

import "time"

// Notifications configures the inbox's deliveries (issue #16,
// actors/notifications).
type Notifications struct {
	// ActiveWindow is how recently a player must have signed in or
	// refreshed a session to get a stored challenge.started notification;
	// dormant accounts are not filled with offers that expire unread.
	ActiveWindow time.Duration
	// ConnectAlerts bounds the missed notifications a connecting socket is
	// sent as notification:alert (oldest first); the inbox has the rest.
	ConnectAlerts int
	// ReceiptQueue bounds the delivered alerts waiting on a node to be
	// recorded as alerted (overflow: drop and count; the alert may then
	// come again on the player's next connect).
	ReceiptQueue int
}

func defaultNotifications() Notifications {
	return Notifications{ActiveWindow: 7 * 24 * time.Hour, ConnectAlerts: 50, ReceiptQueue: 4096}
}

func (c Config) validateNotifications(p *problems) {
	n := c.Notifications
	p.between("NOTIFY_ACTIVE_WINDOW", n.ActiveWindow, time.Hour, 365*24*time.Hour)
	p.count("NOTIFY_CONNECT_ALERTS", int64(n.ConnectAlerts), 1, 1000)
	p.count("NOTIFY_RECEIPT_QUEUE", int64(n.ReceiptQueue), 1, 1_000_000)
}
