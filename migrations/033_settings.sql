-- 033_settings: runtime settings admins edit without a restart
-- (internal/settings). One row holds the document of overrides: a setting
-- absent from it keeps its static default (env). version counts every
-- write: nodes poll it as the fallback for a missed notification, and
-- PATCH /admin/settings checks it for optimistic concurrency (If-Match).
-- Any change, whoever makes it, notifies every listening node (as 015 does
-- for game_modes) so each reloads within a second.
-- Forward-only: a later change is a new numbered file, never an edit here.

CREATE TABLE runtime_settings (
    id         boolean     PRIMARY KEY DEFAULT true CHECK (id),
    version    bigint      NOT NULL DEFAULT 0 CHECK (version >= 0),
    overrides  jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(overrides) = 'object'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid        REFERENCES players (id) ON DELETE SET NULL
);

INSERT INTO runtime_settings (id) VALUES (true);

CREATE FUNCTION runtime_settings_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('proofstell_settings', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER runtime_settings_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON runtime_settings
    FOR EACH STATEMENT EXECUTE FUNCTION runtime_settings_changed();
