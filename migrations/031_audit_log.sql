-- 031_audit_log: an append-only record of every moderator and admin action
-- (issue #18 point 4; persistence.AuditLog, persistence/postgres/audit.go).
-- Forward-only: a later change is a new numbered file, never an edit here.

-- One row per action, written in the transaction of the action itself, so an
-- action that rolls back leaves no row and a row always names a change that
-- happened. actor_kind says who acted: a signed-in staff member ('player',
-- actor_id and actor_role set), the `proofstell admin` command ('cli',
-- actor_name the OS user) or the node itself ('system', actor_name the part
-- of it). actor_id has no foreign key: the log outlives whatever it names,
-- and a cascade would have to edit it. before and after are the target as it
-- was and became (NULL for a create or a delete). id orders the rows as they
-- were appended; at is the store clock's time of the action.
CREATE TABLE audit_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor_kind  text        NOT NULL CHECK (actor_kind IN ('player', 'cli', 'system')),
    actor_id    uuid,
    actor_role  text        NOT NULL DEFAULT '',
    actor_name  text        NOT NULL DEFAULT '',
    action      text        NOT NULL CHECK (action ~ '^[a-z]+(\.[a-z_]+)+$'),
    target_kind text        NOT NULL CHECK (target_kind <> ''),
    target_id   text        NOT NULL,
    before      jsonb,
    after       jsonb,
    client_ip   text        NOT NULL DEFAULT '',
    request_id  text        NOT NULL DEFAULT '',
    CONSTRAINT audit_log_actor_check CHECK ((actor_kind = 'player') = (actor_id IS NOT NULL))
);

-- The listing filters by one of these and pages newest first (by id).
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id DESC) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_kind, target_id, id DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- Append-only: the database itself refuses to rewrite history, whatever
-- the caller (a bug, a hand-typed psql session). Removing rows needs a
-- migration that drops these triggers, which is a reviewed change.
CREATE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
