-- 028_flags: anti-cheat flags mark the cheater's result, not the whole
-- match, and a moderator reviews each flagged result (persistence.FlagStore).
-- Forward-only: a later change is a new numbered file, never an edit here.

-- Whether this player's result is held for review: set by the commit for a
-- flagged player, cleared when a moderator clears the flag. sessions.flagged
-- stays "the game holds a flagged result" (kept in step by the clear).
ALTER TABLE session_players ADD COLUMN flagged boolean NOT NULL DEFAULT false;

-- One row per flagged result, written in the transaction that commits it.
-- standings holds the leaderboard candidates the result would have written
-- ([{mode, board, period, score, achievedAt}]): clearing restores those whose
-- period is still open. A decision is final and records who, when and why.
CREATE TABLE flags (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id   uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    player_id    uuid        NOT NULL,
    mode         text        NOT NULL,
    challenge_id text,
    score        bigint      NOT NULL CHECK (score >= 0),
    evidence     jsonb       NOT NULL CHECK (jsonb_typeof(evidence) = 'object'),
    standings    jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(standings) = 'array'),
    status       text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cleared', 'confirmed')),
    created_at   timestamptz NOT NULL,
    decided_by   uuid,
    decided_at   timestamptz,
    reason       text        CHECK (length(reason) BETWEEN 1 AND 500),
    UNIQUE (session_id, player_id),
    CHECK ((status = 'open') = (decided_at IS NULL)),
    CHECK (status = 'open' OR (decided_by IS NOT NULL AND reason IS NOT NULL))
);
-- The review queue: one status, oldest first.
CREATE INDEX flags_queue_idx ON flags (status, created_at, id);

-- Games flagged before this migration held every player's result. They stay
-- held, each player now with an open flag of their own, so a moderator can
-- restore the honest ones: their evidence is what was stored (the flag count,
-- its reasons unknown, no reaction histogram), their candidates the boards
-- the game reached when it ended (a challenge attempt its challenge's board;
-- a ranked mode's four boards; none otherwise).
UPDATE session_players sp SET flagged = true
FROM sessions s
WHERE s.id = sp.session_id AND s.flagged AND s.state = 'finished' AND sp.voided IS NULL;

INSERT INTO flags (session_id, player_id, mode, challenge_id, score, evidence, standings, created_at)
SELECT sp.session_id, sp.player_id, s.mode, s.challenge_id, sp.score,
    jsonb_build_object('reasons', CASE WHEN sp.flags > 0 THEN jsonb_build_object('unattributed', sp.flags) ELSE '{}'::jsonb END,
        'flags', sp.flags, 'hits', sp.hits, 'misses', sp.misses,
        'medianReactionMs', coalesce(sp.median_reaction_ms, 0), 'reactions', '[]'::jsonb),
    CASE
        WHEN sp.score <= 0 THEN '[]'::jsonb
        WHEN s.challenge_id IS NOT NULL THEN jsonb_build_array(jsonb_build_object('mode', s.mode,
            'board', 'challenge', 'period', s.challenge_id, 'score', sp.score, 'achievedAt', sp.reached_at))
        WHEN coalesce(m.ranked, false) THEN jsonb_build_array(
            jsonb_build_object('mode', s.mode, 'board', 'global', 'period', 'all', 'score', sp.score, 'achievedAt', sp.reached_at),
            jsonb_build_object('mode', s.mode, 'board', 'daily', 'period', to_char(s.ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
                'score', sp.score, 'achievedAt', sp.reached_at),
            jsonb_build_object('mode', s.mode, 'board', 'weekly', 'period', to_char(s.ended_at AT TIME ZONE 'UTC', 'IYYY-"W"IW'),
                'score', sp.score, 'achievedAt', sp.reached_at),
            jsonb_build_object('mode', s.mode, 'board', 'monthly', 'period', to_char(s.ended_at AT TIME ZONE 'UTC', 'YYYY-MM'),
                'score', sp.score, 'achievedAt', sp.reached_at))
        ELSE '[]'::jsonb
    END,
    coalesce(s.ended_at, s.created_at)
FROM session_players sp
JOIN sessions s ON s.id = sp.session_id
LEFT JOIN game_modes m ON m.name = s.mode
WHERE sp.flagged
ON CONFLICT (session_id, player_id) DO NOTHING;
