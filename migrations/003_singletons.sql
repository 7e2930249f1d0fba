-- 003_singletons: cluster singleton leases with fencing epochs, and the
-- record of closed leaderboard periods.
-- Forward-only: a later change is a new numbered file, never an edit here.

-- One row per singleton (the scheduler, later the chain writer). A row is
-- never deleted: releasing a lease only expires it, so the epoch only ever
-- grows and a write fenced by an old epoch can never match again.
CREATE TABLE singleton_leases (
    name       text        PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
    holder     text        NOT NULL CHECK (length(holder) BETWEEN 1 AND 256),
    epoch      bigint      NOT NULL CHECK (epoch >= 1),
    expires_at timestamptz NOT NULL
);

-- A period is closed once: the primary key makes a takeover that re-runs the
-- same close a no-op. epoch records which leadership of the "scheduler"
-- lease closed it.
CREATE TABLE leaderboard_period_closes (
    board     text        NOT NULL,
    period    text        NOT NULL,
    closed_at timestamptz NOT NULL,
    closed_by text        NOT NULL,
    epoch     bigint      NOT NULL,
    PRIMARY KEY (board, period)
);
