-- 025_outbox_cursors: one append-only outbox, many readers. Each reader
-- (a consumer: an analytics provider's worker, later others) keeps its own
-- cursor over (tx, id) instead of claiming rows (persistence.OutboxReader).
-- Forward-only: a later change is a new numbered file, never an edit here.

-- tx is the id of the transaction that wrote the row. Readers only pass
-- rows whose tx is below their snapshot's xmin, so a row whose transaction
-- commits late is never skipped (ids are allocated before commit; an id
-- cursor alone would move past it). Existing rows are long committed: the
-- constant default '0' adds the column without a table rewrite, then the
-- default becomes the writing transaction's id for every new row.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS tx xid8 NOT NULL DEFAULT '0';
ALTER TABLE outbox ALTER COLUMN tx SET DEFAULT pg_current_xact_id();
CREATE INDEX IF NOT EXISTS outbox_tx_id_idx ON outbox (tx, id);

-- Where each consumer has read up to: it has handled every row of its
-- topics before (tx, id), and the row at (tx, id) wholly (part 0) or its
-- first part deliveries (a consumer that turns one row into several
-- requests, e.g. one per player). A consumer's cursor only moves forward.
CREATE TABLE IF NOT EXISTS outbox_cursors (
    consumer   text        PRIMARY KEY,
    tx         xid8        NOT NULL,
    id         bigint      NOT NULL,
    part       integer     NOT NULL DEFAULT 0 CHECK (part >= 0),
    updated_at timestamptz NOT NULL
);

-- Every change of a mint request's status writes a mint.status outbox row
-- (persistence.TopicMintStatus) in the transaction that changes it,
-- whichever writer does (the badge award queueing it, the chain writer,
-- an admin retry), so no writer can forget it. Born processed: only
-- cursor readers (analytics) read it. The key holds the change's time, as
-- a retried mint goes through a status again.
CREATE FUNCTION mint_requests_status_outbox() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO outbox (topic, key, payload, created_at, available_at, processed_at)
        VALUES ('mint.status',
            NEW.id::text || ':' || NEW.status || ':' || (extract(epoch FROM NEW.updated_at) * 1000000)::bigint::text,
            convert_to(json_build_object('playerId', NEW.player_id::text, 'chain', NEW.chain,
                'status', NEW.status, 'at', NEW.updated_at)::text, 'UTF8'),
            NEW.updated_at, NEW.updated_at, NEW.updated_at)
        ON CONFLICT (topic, key) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER mint_requests_status_outbox
    AFTER INSERT OR UPDATE OF status ON mint_requests
    FOR EACH ROW EXECUTE FUNCTION mint_requests_status_outbox();
