-- 014_standing_writes: every leaderboard record remembers the transaction
-- that last wrote it, so a leaderboard grain catches up with the stored
-- standings by reading only what was written since its high-water mark
-- (docs/CLUSTER.md, "Live leaderboards converge").
-- Forward-only: a later change is a new numbered file, never an edit here.

ALTER TABLE leaderboard_records
    ADD COLUMN written_xid xid8 NOT NULL DEFAULT pg_current_xact_id();

-- Set on every insert and every update (a better score, a rename), whoever
-- writes the row, so no writer can forget it.
CREATE FUNCTION leaderboard_records_written() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.written_xid := pg_current_xact_id();
    RETURN NEW;
END
$$;

CREATE TRIGGER leaderboard_records_written
    BEFORE INSERT OR UPDATE ON leaderboard_records
    FOR EACH ROW EXECUTE FUNCTION leaderboard_records_written();

CREATE INDEX leaderboard_records_written_idx
    ON leaderboard_records (board, period, written_xid);
