-- 021_challenge_badges: catalogue badges for challenges. Criteria are data
-- (actors/badges/criteria), so the new kinds need no schema: the counts
-- challenges_completed and challenges_won are read from challenge_results
-- (020) by BadgeFacts, and challenge_reward is a kind evaluation never meets,
-- for badges given only as a challenge's reward (challenges.reward_badge).
-- Forward-only: a later change is a new numbered file, never an edit here.

-- ON CONFLICT: an admin may already have created a badge with one of these
-- slugs; theirs stays.
INSERT INTO badges (slug, name, description, icon, rarity, points, category, mintable, criteria) VALUES
    ('challenger', 'Challenger', 'Take part in a challenge to its end.', 'challenger.svg',
     'common', 15, 'challenges', false, '{"kind":"challenges_completed","n":1}'),
    ('champion', 'Champion', 'Win a challenge.', 'champion.svg',
     'rare', 40, 'challenges', true, '{"kind":"challenges_won","n":1}'),
    -- The reward the daily challenges name (challenges.reward_badge): only
    -- the end of a challenge gives it.
    ('daily-champion', 'Daily Champion', 'Win a daily challenge.', 'daily-champion.svg',
     'epic', 50, 'challenges', true, '{"kind":"challenge_reward"}')
ON CONFLICT (slug) DO NOTHING;
