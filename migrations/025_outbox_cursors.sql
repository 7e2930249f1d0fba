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
