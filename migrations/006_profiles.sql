-- 006_profiles: public profile fields and account bans.
-- Role changes and bans are written only by the admin routes; a player's own
-- profile edit touches username and display_name alone.

ALTER TABLE players
    ADD COLUMN display_name text NOT NULL DEFAULT ''
        CHECK (length(display_name) <= 50),
    -- A generated file name (32 hex digits + ".png"), never a client path.
    ADD COLUMN avatar       text NOT NULL DEFAULT ''
        CHECK (avatar = '' OR avatar ~ '^[0-9a-f]{32}\.png$'),
    ADD COLUMN banned_at    timestamptz,
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();

-- The admin listing pages by (lower(username), id) and searches by username
-- prefix, which needs the pattern operator class.
CREATE INDEX players_username_pattern_idx ON players (lower(username) text_pattern_ops, id);
