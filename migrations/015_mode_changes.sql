-- 015_mode_changes: nodes cache game modes in memory (every new game reads
-- its mode); any change to game_modes, whoever makes it (a migration, an
-- operator's SQL), notifies every node listening so it drops its cache.
-- Forward-only: a later change is a new numbered file, never an edit here.

CREATE FUNCTION game_modes_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('proofstell_modes', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER game_modes_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON game_modes
    FOR EACH STATEMENT EXECUTE FUNCTION game_modes_changed();
