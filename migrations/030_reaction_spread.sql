-- 030_reaction_spread: what the consistency detector counted in each
-- player's game, kept so it can judge a player's recent games together
-- (issue #17 point 8; actors/session/detector).
-- Forward-only: a later change is a new numbered file, never an edit here.

-- reaction_samples is the moles the player won, reaction_in_band those
-- whose reaction lay within the detector's band of the game's median. NULL
-- for results stored before this migration, voided results and lobby rows:
-- the detector reads only the games that carry both.
ALTER TABLE session_players
    ADD COLUMN reaction_samples integer CHECK (reaction_samples >= 0),
    ADD COLUMN reaction_in_band integer CHECK (reaction_in_band >= 0),
    ADD CONSTRAINT session_players_reaction_spread_check CHECK (
        (reaction_samples IS NULL) = (reaction_in_band IS NULL) AND reaction_in_band <= reaction_samples);
