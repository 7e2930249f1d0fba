-- 024_referrals: every player has a referral code; a sign-up may name one,
-- and the referral pays both players once the referred player has played
-- enough unflagged ranked games (persistence.ReferralStore).
-- Forward-only: a later change is a new numbered file, never an edit here.

-- 10 hex characters (~1e12 codes): a clash between two sign-ups is
-- negligible at any size this server reaches, and the unique index turns
-- the impossible case into a failed insert rather than a shared code. The
-- default fills every existing player too.
ALTER TABLE players ADD COLUMN IF NOT EXISTS referral_code text NOT NULL
    DEFAULT upper(substr(md5(gen_random_uuid()::text), 1, 10));
CREATE UNIQUE INDEX IF NOT EXISTS players_referral_code_key ON players (referral_code);

-- What a sign-up came from, hashed (sha256 hex; never the raw device id,
-- address or IP): the anti-farming checks compare a new player's
-- fingerprints with the referrer's. seen_at is the last sign-in that
-- carried it, so "same IP within a window" means recently.
CREATE TABLE IF NOT EXISTS player_fingerprints (
    player_id uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    kind      text        NOT NULL CHECK (kind IN ('device', 'ip', 'wallet')),
    hash      text        NOT NULL CHECK (length(hash) = 64),
    seen_at   timestamptz NOT NULL,
    PRIMARY KEY (player_id, kind, hash)
);
CREATE INDEX IF NOT EXISTS player_fingerprints_hash_idx ON player_fingerprints (kind, hash);

-- One referral per referred player, kept also when refused (reason says
-- why) so support sees the attempt and the daily cap counts attempts.
CREATE TABLE IF NOT EXISTS referrals (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    referrer_id   uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    referred_id   uuid        NOT NULL UNIQUE REFERENCES players (id) ON DELETE CASCADE,
    status        text        NOT NULL CHECK (status IN ('pending', 'rewarded', 'refused')),
    reason        text        CHECK (reason IN ('self', 'same_device', 'same_ip', 'same_wallet', 'daily_cap')),
    games_counted integer     NOT NULL DEFAULT 0 CHECK (games_counted >= 0),
    created_at    timestamptz NOT NULL,
    rewarded_at   timestamptz,
    CHECK ((status = 'refused') = (reason IS NOT NULL)),
    CHECK ((status = 'rewarded') = (rewarded_at IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS referrals_referrer_idx ON referrals (referrer_id, created_at);

-- The games a pending referral counted: a redelivered game.finished row
-- counts nothing twice.
CREATE TABLE IF NOT EXISTS referral_games (
    referred_id uuid NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    session_id  uuid NOT NULL,
    PRIMARY KEY (referred_id, session_id)
);

-- The reward badge is data: referral_reward is a kind evaluation never
-- meets, so only a completed referral gives it. An admin may rename it,
-- make it not mintable or retire it (a retired badge rewards nobody; the
-- referral.rewarded notification row is still written).
INSERT INTO badges (slug, name, description, icon, rarity, points, category, mintable, criteria) VALUES
    ('referral', 'Recruiter', 'Bring a friend who plays ranked games, or be that friend.', 'referral.svg',
     'rare', 25, 'social', true, '{"kind":"referral_reward"}')
ON CONFLICT (slug) DO NOTHING;
