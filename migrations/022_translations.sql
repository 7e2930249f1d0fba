-- 022_translations: the languages the API speaks and the translated texts
-- it shows people (error messages, badge names and descriptions), keyed by
-- (namespace, key, language). Exactly one language is the default, the one
-- every other falls back to: the partial unique index forbids two, the
-- deferred constraint trigger forbids none at commit (a default switch
-- clears the old one and sets the new one in one transaction). Any change
-- notifies every node so it reloads its in-memory catalogue.
-- Forward-only: a later change is a new numbered file, never an edit here.

CREATE TABLE languages (
    -- A BCP 47 tag in canonical form (en, es, pt-BR); the API canonicalizes.
    code       text        PRIMARY KEY CHECK (code ~ '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$'),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    active     boolean     NOT NULL DEFAULT true,
    is_default boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- The fallback of every other language cannot be switched off.
    CHECK (active OR NOT is_default)
);
CREATE UNIQUE INDEX languages_one_default ON languages (is_default) WHERE is_default;

CREATE FUNCTION languages_check_default() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    n int;
BEGIN
    SELECT count(*) INTO n FROM languages WHERE is_default;
    IF n <> 1 THEN
        RAISE EXCEPTION 'exactly one default language required, found %', n
            USING ERRCODE = '23514', CONSTRAINT = 'languages_one_default';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER languages_check_default
    AFTER INSERT OR UPDATE OR DELETE ON languages
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION languages_check_default();

CREATE TABLE translations (
    namespace  text        NOT NULL CHECK (namespace ~ '^[a-z][a-z0-9_-]{0,31}$'),
    key        text        NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
    language   text        NOT NULL REFERENCES languages (code) ON UPDATE CASCADE ON DELETE CASCADE,
    text       text        NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, key, language)
);
CREATE INDEX translations_language_idx ON translations (language, namespace);

CREATE FUNCTION translations_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('proofstell_translations', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER languages_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON languages
    FOR EACH STATEMENT EXECUTE FUNCTION translations_changed();
CREATE TRIGGER translations_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON translations
    FOR EACH STATEMENT EXECUTE FUNCTION translations_changed();

INSERT INTO languages (code, name, active, is_default) VALUES
    ('en', 'English', true, true),
    ('es', 'Español', true, false);

-- Error messages, keyed by the stable error code (gateway/rest/errors.go).
INSERT INTO translations (namespace, key, language, text) VALUES
    ('errors', 'bad_request', 'en', 'bad request'),
    ('errors', 'bad_request', 'es', 'solicitud incorrecta'),
    ('errors', 'validation_failed', 'en', 'validation failed'),
    ('errors', 'validation_failed', 'es', 'la validación falló'),
    ('errors', 'unauthorized', 'en', 'unauthorized'),
    ('errors', 'unauthorized', 'es', 'no autorizado'),
    ('errors', 'token_reused', 'en', 'refresh token already used; sign in again'),
    ('errors', 'token_reused', 'es', 'el token de renovación ya se usó; vuelve a iniciar sesión'),
    ('errors', 'token_revoked', 'en', 'token revoked; sign in again'),
    ('errors', 'token_revoked', 'es', 'token revocado; vuelve a iniciar sesión'),
    ('errors', 'account_banned', 'en', 'account banned'),
    ('errors', 'account_banned', 'es', 'cuenta suspendida'),
    ('errors', 'forbidden', 'en', 'forbidden'),
    ('errors', 'forbidden', 'es', 'prohibido'),
    ('errors', 'not_found', 'en', 'not found'),
    ('errors', 'not_found', 'es', 'no encontrado'),
    ('errors', 'not_ranked', 'en', 'not ranked'),
    ('errors', 'not_ranked', 'es', 'sin clasificación'),
    ('errors', 'unknown_mode', 'en', 'unknown mode'),
    ('errors', 'unknown_mode', 'es', 'modo desconocido'),
    ('errors', 'board_not_found', 'en', 'board not found'),
    ('errors', 'board_not_found', 'es', 'tabla no encontrada'),
    ('errors', 'method_not_allowed', 'en', 'method not allowed'),
    ('errors', 'method_not_allowed', 'es', 'método no permitido'),
    ('errors', 'conflict', 'en', 'conflict'),
    ('errors', 'conflict', 'es', 'conflicto'),
    ('errors', 'payload_too_large', 'en', 'payload too large'),
    ('errors', 'payload_too_large', 'es', 'contenido demasiado grande'),
    ('errors', 'unsupported_media_type', 'en', 'unsupported media type'),
    ('errors', 'unsupported_media_type', 'es', 'tipo de contenido no admitido'),
    ('errors', 'rate_limited', 'en', 'too many requests'),
    ('errors', 'rate_limited', 'es', 'demasiadas solicitudes'),
    ('errors', 'unavailable', 'en', 'service temporarily unavailable'),
    ('errors', 'unavailable', 'es', 'servicio no disponible temporalmente'),
    ('errors', 'internal', 'en', 'internal error'),
    ('errors', 'internal', 'es', 'error interno');

-- Badge names and descriptions, keyed by slug.name and slug.description.
-- English comes from the catalogue itself (an admin may have edited it).
INSERT INTO translations (namespace, key, language, text)
SELECT 'badges', slug || '.name', 'en', name FROM badges
UNION ALL
SELECT 'badges', slug || '.description', 'en', description FROM badges;

INSERT INTO translations (namespace, key, language, text) VALUES
    ('badges', 'first-game.name', 'es', 'Primer golpe'),
    ('badges', 'first-game.description', 'es', 'Termina tu primera partida.'),
    ('badges', 'classic-30.name', 'es', 'Ojo certero'),
    ('badges', 'classic-30.description', 'es', 'Consigue 30 puntos en una partida clásica.'),
    ('badges', 'games-100.name', 'es', 'Centurión'),
    ('badges', 'games-100.description', 'es', 'Juega 100 partidas.'),
    ('badges', 'streak-7.name', 'es', 'Semana de golpes'),
    ('badges', 'streak-7.description', 'es', 'Juega 7 días seguidos.'),
    ('badges', 'daily-top-10.name', 'es', 'Diez mejores del día'),
    ('badges', 'daily-top-10.description', 'es', 'Termina una tabla diaria entre los 10 primeros.'),
    ('badges', 'match-won.name', 'es', 'Vencedor'),
    ('badges', 'match-won.description', 'es', 'Gana un enfrentamiento.'),
    ('badges', 'perfect-game.name', 'es', 'Impecable'),
    ('badges', 'perfect-game.description', 'es', 'Termina una partida con aciertos y sin fallos.'),
    ('badges', 'challenger.name', 'es', 'Retador'),
    ('badges', 'challenger.description', 'es', 'Participa en un desafío hasta el final.'),
    ('badges', 'champion.name', 'es', 'Campeón'),
    ('badges', 'champion.description', 'es', 'Gana un desafío.'),
    ('badges', 'daily-champion.name', 'es', 'Campeón del día'),
    ('badges', 'daily-champion.description', 'es', 'Gana un desafío diario.');
