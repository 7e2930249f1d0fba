-- 012_revocations: the durable record of every access-token revocation.
-- Redis holds a copy for the per-request check; these tables are the truth it
-- is rebuilt from after a loss, and what checks read while Redis is down.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- Logged-out access tokens, until they expire (afterwards expiry refuses them).
-- No foreign key to players: a revocation must never fail to be recorded.
CREATE TABLE revoked_access_tokens (
    jti        uuid        PRIMARY KEY,
    player_id  uuid        NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revoked_access_tokens_expiry_idx ON revoked_access_tokens (expires_at);

-- Per-player "not before" watermark (logout everywhere, password reset, role
-- change, ban): access tokens issued at or before not_before are refused.
CREATE TABLE player_token_watermarks (
    player_id  uuid        PRIMARY KEY,
    not_before timestamptz NOT NULL
);
CREATE INDEX player_token_watermarks_at_idx ON player_token_watermarks (not_before);

-- Refresh families whose access tokens are all refused (logout, refresh-token
-- reuse): the access token's sid claim names the family.
CREATE TABLE revoked_token_families (
    family_id  uuid        PRIMARY KEY,
    player_id  uuid        NOT NULL,
    revoked_at timestamptz NOT NULL
);
CREATE INDEX revoked_token_families_at_idx ON revoked_token_families (revoked_at);

-- A rebuild reads the bans younger than the access-token lifetime.
CREATE INDEX players_banned_at_idx ON players (banned_at) WHERE banned_at IS NOT NULL;
