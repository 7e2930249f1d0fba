-- 007_badges: the badge catalogue and the badges players have earned.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- Criteria are data (decoded and validated by actors/badges/criteria), so a
-- new badge is a row, not a release.
CREATE TABLE badges (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    slug        text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    description text        NOT NULL DEFAULT '' CHECK (length(description) <= 512),
    icon        text        NOT NULL DEFAULT '' CHECK (length(icon) <= 256),
    rarity      text        NOT NULL DEFAULT 'common' CHECK (rarity IN ('common', 'rare', 'epic', 'legendary')),
    points      integer     NOT NULL DEFAULT 0 CHECK (points >= 0),
    category    text        NOT NULL DEFAULT 'general' CHECK (length(category) BETWEEN 1 AND 32),
    active      boolean     NOT NULL DEFAULT true,
    mintable    boolean     NOT NULL DEFAULT false,
    criteria    jsonb       NOT NULL CHECK (jsonb_typeof(criteria) = 'object'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One award per player and badge: the primary key makes awarding idempotent.
CREATE TABLE player_badges (
    player_id  uuid        NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    badge_id   uuid        NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    awarded_at timestamptz NOT NULL DEFAULT now(),
    source     text        NOT NULL CHECK (source IN ('auto', 'admin')),
    PRIMARY KEY (player_id, badge_id)
);
CREATE INDEX player_badges_badge_idx ON player_badges (badge_id);

INSERT INTO badges (slug, name, description, icon, rarity, points, category, mintable, criteria) VALUES
    ('first-game', 'First Whack', 'Finish your first game.', 'first-game.svg',
     'common', 10, 'milestones', false, '{"kind":"first_game"}'),
    ('classic-30', 'Sharp Eye', 'Score 30 in one classic game.', 'classic-30.svg',
     'rare', 25, 'skill', true, '{"kind":"single_game_score","n":30,"mode":"classic"}'),
    ('games-100', 'Centurion', 'Play 100 games.', 'games-100.svg',
     'epic', 50, 'milestones', true, '{"kind":"games_played","n":100}'),
    ('streak-7', 'Week of Whacks', 'Play on 7 days in a row.', 'streak-7.svg',
     'rare', 30, 'dedication', true, '{"kind":"daily_streak","n":7}'),
    ('daily-top-10', 'Daily Top Ten', 'Finish a daily board in the top 10.', 'daily-top-10.svg',
     'epic', 50, 'leaderboards', true, '{"kind":"board_rank","n":10,"board":"daily"}'),
    ('match-won', 'Victor', 'Win a match.', 'match-won.svg',
     'common', 15, 'matches', false, '{"kind":"matches_won","n":1}'),
    ('perfect-game', 'Flawless', 'Finish a game with hits and no misses.', 'perfect-game.svg',
     'legendary', 100, 'skill', true, '{"kind":"perfect_game"}');
