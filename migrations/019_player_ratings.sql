-- 019_player_ratings: every player has a skill rating per ranked mode
-- (internal/rating: Weng–Lin Plackett–Luce, mu and sigma), updated by the
-- transaction that commits a finished match. Only multiplayer matches of
-- ranked modes are rated; solo games and practice modes never move it.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- Dynamic difficulty (actors/session/difficulty): the median reaction time
-- of each player's won moles, so the default level of their next solo game
-- reads their recent form from a few session_players rows. NULL when the
-- player won no mole or for games stored before this migration.
ALTER TABLE session_players ADD COLUMN median_reaction_ms integer CHECK (median_reaction_ms >= 0);

-- IF NOT EXISTS: migration 018 adds the same column; both are safe.
ALTER TABLE game_modes ADD COLUMN IF NOT EXISTS ranked boolean NOT NULL DEFAULT true;

-- A row exists once a player's first rated match in the mode commits; a
-- missing row reads as the model's prior (mu 25, sigma 25/3). No foreign
-- key to game_modes: a mode renamed or removed by an operator keeps its
-- history readable. Every rated commit locks the rows of its players in
-- (player_id, mode) order, so concurrent commits sharing a player queue
-- instead of deadlocking.
CREATE TABLE player_ratings (
    player_id  uuid             NOT NULL REFERENCES players (id) ON DELETE CASCADE,
    mode       text             NOT NULL,
    mu         double precision NOT NULL,
    sigma      double precision NOT NULL CHECK (sigma > 0),
    matches    integer          NOT NULL DEFAULT 0 CHECK (matches >= 0),
    updated_at timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (player_id, mode)
) WITH (fillfactor = 80); -- room for HOT updates: every rated match updates these rows
