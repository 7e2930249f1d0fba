-- 002_seed_modes: the modes the game ships with. Tuning later is a new
-- migration (or an admin edit), never a code change.

INSERT INTO game_modes (name, level, rows, cols, duration_ms, spawn_interval_ms, visible_ms, max_moles_up,
                        hit_points, golden_chance, golden_points, bomb_chance, bomb_penalty, countdown_ms,
                        max_players, active)
VALUES
    ('classic',      'normal', 3, 3, 30000, 1000,  800, 1, 1, 0.0, 0, 0.0, 0, 3000, 8, true),
    ('classic-easy', 'easy',   3, 3, 30000, 1400, 1200, 1, 1, 0.0, 0, 0.0, 0, 3000, 8, true),
    ('classic-hard', 'hard',   3, 3, 30000,  700,  550, 2, 1, 0.0, 0, 0.0, 0, 3000, 8, true),
    ('frenzy',       'hard',   4, 4, 45000,  600,  900, 3, 1, 0.1, 5, 0.1, 3, 3000, 8, true)
ON CONFLICT (name) DO NOTHING;
