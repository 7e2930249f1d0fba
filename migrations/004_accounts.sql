-- 004_accounts: email and password credentials and single-use email tokens.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- One row per player that can sign in with an email and password. The player
-- row (players) stays the identity, so a guest upgraded to an email account
-- keeps its id and with it its games, standings and stats.
CREATE TABLE account_credentials (
    player_id         uuid        PRIMARY KEY REFERENCES players (id) ON DELETE CASCADE,
    email             text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    password_hash     text        NOT NULL CHECK (length(password_hash) BETWEEN 50 AND 100),
    email_verified_at timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
-- Addresses are unique regardless of case: "Mole@x.io" and "mole@x.io" are one mailbox.
CREATE UNIQUE INDEX account_credentials_email_lower_key ON account_credentials (lower(email));

-- Verification and password-reset tokens. Only the SHA-256 of the token that
-- was mailed is stored, so a database leak yields no usable link.
CREATE TABLE email_tokens (
    token_hash bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    player_id  uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at    timestamptz
);
CREATE INDEX email_tokens_player_idx ON email_tokens (player_id, purpose) WHERE used_at IS NULL;
