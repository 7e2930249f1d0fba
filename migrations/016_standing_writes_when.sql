-- 016_standing_writes_when: the trigger of 014 stamps a leaderboard record
-- only when its writer did not: the result commit's upsert sets written_xid
-- itself (and an insert gets it from the column default), so the per-row
-- PL/pgSQL call leaves the hot path (it cost about a tenth of
-- BenchmarkCommitResults), while a writer that forgets is still stamped.
-- Forward-only: a later change is a new numbered file, never an edit here.

DROP TRIGGER leaderboard_records_written ON leaderboard_records;

CREATE TRIGGER leaderboard_records_written
    BEFORE INSERT OR UPDATE ON leaderboard_records
    FOR EACH ROW
    WHEN (NEW.written_xid IS DISTINCT FROM pg_current_xact_id())
    EXECUTE FUNCTION leaderboard_records_written();
