-- 026_notification_alerts: which notifications reached a socket as
-- notification:alert (issue #16). The worker's live alert is best effort;
-- a node marks a notification alerted once its hub queued the alert on a
-- socket of the player, and a connecting player is sent, once, the unread
-- notifications never alerted (taken and marked in one statement, so two
-- nodes never both send one). Existing rows count as alerted: the players
-- have had the inbox to read them.
-- Forward-only: a later change is a new numbered file, never an edit here.
ALTER TABLE notifications ADD COLUMN alerted_at timestamptz;
UPDATE notifications SET alerted_at = created_at;
CREATE INDEX notifications_unalerted_idx ON notifications (player_id, created_at, id)
    WHERE alerted_at IS NULL AND read_at IS NULL;
