-- 026_notification_delivery (issue #16): how notifications reach players
-- (missed alerts on connect, the mail language, the texts in English and
-- Spanish), localized modes and socket errors, and keyed fingerprints.
--
-- alerted_at: which notifications reached a socket as notification:alert.
-- The worker's live alert is best effort;
-- a node marks a notification alerted once its hub queued the alert on a
-- socket of the player, and a connecting player is sent, once, the unread
-- notifications never alerted (taken and marked in one statement, so two
-- nodes never both send one). Existing rows count as alerted: the players
-- have had the inbox to read them.
-- Forward-only: a later change is a new numbered file, never an edit here.
ALTER TABLE notifications ADD COLUMN alerted_at timestamptz;
UPDATE notifications SET alerted_at = created_at;
CREATE INDEX notifications_unalerted_idx ON notifications (player_id, created_at, id)
    WHERE alerted_at IS NULL AND read_at IS NULL;

-- player_fingerprints.hash is now HMAC-SHA256 (hex, still 64 characters)
-- under REFERRAL_FINGERPRINT_SECRET instead of a bare sha256. The rows
-- written before can never match a new one, so they go; the players'
-- next sign-ins write them again.
DELETE FROM player_fingerprints;

-- The language a player's notification mails are written in: the one their
-- last sign-in negotiated (?lang= or Accept-Language); NULL is the default.
ALTER TABLE players ADD COLUMN language text;

-- Notification texts (actors/notifications render.go), keyed by the text a
-- notification's data names ("<text>.title", "<text>.body"); {field} is the
-- data's field. English repeats the source so the coverage endpoint lists
-- what another language lacks.
INSERT INTO translations (namespace, key, language, text) VALUES
    ('notifications', 'badge.awarded.title', 'en', 'Badge earned: {name}'),
    ('notifications', 'badge.awarded.body', 'en', 'You earned the {rarity} badge {name}.'),
    ('notifications', 'badge.awarded.title', 'es', 'Insignia obtenida: {name}'),
    ('notifications', 'badge.awarded.body', 'es', 'Has obtenido la insignia {name} ({rarity}).'),
    ('notifications', 'challenge.ended.title', 'en', 'Challenge over: {challengeId}'),
    ('notifications', 'challenge.ended.body', 'en', 'You finished #{rank} with {score} points.'),
    ('notifications', 'challenge.ended.title', 'es', 'Desafío terminado: {challengeId}'),
    ('notifications', 'challenge.ended.body', 'es', 'Terminaste en el puesto #{rank} con {score} puntos.'),
    ('notifications', 'challenge.ended.won.title', 'en', 'Challenge over: {challengeId}'),
    ('notifications', 'challenge.ended.won.body', 'en', 'You won with {score} points!'),
    ('notifications', 'challenge.ended.won.title', 'es', 'Desafío terminado: {challengeId}'),
    ('notifications', 'challenge.ended.won.body', 'es', '¡Ganaste con {score} puntos!'),
    ('notifications', 'challenge.started.title', 'en', 'Challenge started: {title}'),
    ('notifications', 'challenge.started.body', 'en', 'A {mode} challenge is on until {endsAt}. Good luck!'),
    ('notifications', 'challenge.started.title', 'es', 'Desafío iniciado: {title}'),
    ('notifications', 'challenge.started.body', 'es', 'Hay un desafío {mode} hasta {endsAt}. ¡Suerte!'),
    ('notifications', 'match.found.title', 'en', 'Match found'),
    ('notifications', 'match.found.body', 'en', 'Your {mode} match is ready: join it now.'),
    ('notifications', 'match.found.title', 'es', 'Partida encontrada'),
    ('notifications', 'match.found.body', 'es', 'Tu partida {mode} está lista: únete ahora.'),
    ('notifications', 'mint.accepted.title', 'en', 'Badge minted'),
    ('notifications', 'mint.accepted.body', 'en', 'Your badge is now on {chain}.'),
    ('notifications', 'mint.accepted.title', 'es', 'Insignia acuñada'),
    ('notifications', 'mint.accepted.body', 'es', 'Tu insignia ya está en {chain}.'),
    ('notifications', 'mint.failed.title', 'en', 'Mint failed'),
    ('notifications', 'mint.failed.body', 'en', 'Your badge could not be minted on {chain}; you can retry it.'),
    ('notifications', 'mint.failed.title', 'es', 'La acuñación falló'),
    ('notifications', 'mint.failed.body', 'es', 'No se pudo acuñar tu insignia en {chain}; puedes reintentarlo.'),
    ('notifications', 'rank.final.title', 'en', 'Final rank: #{rank}'),
    ('notifications', 'rank.final.body', 'en', 'The {mode} {board} board {period} closed: you finished #{rank} with {score} points.'),
    ('notifications', 'rank.final.title', 'es', 'Puesto final: #{rank}'),
    ('notifications', 'rank.final.body', 'es', 'La tabla {board} de {mode} ({period}) cerró: terminaste en el puesto #{rank} con {score} puntos.'),
    ('notifications', 'referral.reward.title', 'en', 'Referral reward'),
    ('notifications', 'referral.reward.body', 'en', 'Your referral played enough ranked games: you both earned a reward.'),
    ('notifications', 'referral.reward.title', 'es', 'Recompensa por invitación'),
    ('notifications', 'referral.reward.body', 'es', 'Tu invitación jugó suficientes partidas clasificatorias: ambos ganan una recompensa.'),
    ('notifications', 'mail.greeting', 'en', 'Hi {username},'),
    ('notifications', 'mail.greeting', 'es', 'Hola, {username}:'),
    ('notifications', 'mail.unsubscribe', 'en', 'Stop these mails: {link}'),
    ('notifications', 'mail.unsubscribe', 'es', 'Dejar de recibir estos correos: {link}');

-- Mode titles and descriptions (gateway/rest GET /modes and every mode in
-- an answer), keyed "<mode>.title" and "<mode>.description".
INSERT INTO translations (namespace, key, language, text) VALUES
    ('modes', 'classic.title', 'en', 'Classic'),
    ('modes', 'classic.description', 'en', 'One mole at a time on a 3×3 board, thirty seconds.'),
    ('modes', 'classic.title', 'es', 'Clásico'),
    ('modes', 'classic.description', 'es', 'Un topo a la vez en un tablero de 3×3, treinta segundos.'),
    ('modes', 'classic-easy.title', 'en', 'Classic (easy)'),
    ('modes', 'classic-easy.description', 'en', 'Classic with slower moles that stay up longer.'),
    ('modes', 'classic-easy.title', 'es', 'Clásico (fácil)'),
    ('modes', 'classic-easy.description', 'es', 'El clásico con topos más lentos que se quedan más tiempo.'),
    ('modes', 'classic-hard.title', 'en', 'Classic (hard)'),
    ('modes', 'classic-hard.description', 'en', 'Classic with quick moles, two at once.'),
    ('modes', 'classic-hard.title', 'es', 'Clásico (difícil)'),
    ('modes', 'classic-hard.description', 'es', 'El clásico con topos rápidos, dos a la vez.'),
    ('modes', 'frenzy.title', 'en', 'Frenzy'),
    ('modes', 'frenzy.description', 'en', 'A 4×4 board, three moles at once, golden moles and bombs.'),
    ('modes', 'frenzy.title', 'es', 'Frenesí'),
    ('modes', 'frenzy.description', 'es', 'Un tablero de 4×4, tres topos a la vez, topos dorados y bombas.');

-- WebSocket and Socket.IO error frames, keyed by their code
-- (actors/events); the codes REST shares (bad_request, rate_limited,
-- unknown_mode, unavailable, internal, account_banned) are in 022. English
-- here is the generic text: the frames say more in English.
INSERT INTO translations (namespace, key, language, text) VALUES
    ('errors', 'unknown_type', 'en', 'unknown message type'),
    ('errors', 'unknown_type', 'es', 'tipo de mensaje desconocido'),
    ('errors', 'session_not_found', 'en', 'no such game'),
    ('errors', 'session_not_found', 'es', 'esa partida no existe'),
    ('errors', 'not_in_session', 'en', 'not playing that game on this connection'),
    ('errors', 'not_in_session', 'es', 'no estás jugando esa partida en esta conexión'),
    ('errors', 'session_full', 'en', 'the game is full'),
    ('errors', 'session_full', 'es', 'la partida está llena'),
    ('errors', 'already_started', 'en', 'the game has already started'),
    ('errors', 'already_started', 'es', 'la partida ya empezó'),
    ('errors', 'not_creator', 'en', 'only the game''s creator can do that'),
    ('errors', 'not_creator', 'es', 'solo quien creó la partida puede hacerlo'),
    ('errors', 'game_not_running', 'en', 'the game is not running'),
    ('errors', 'game_not_running', 'es', 'la partida no está en curso'),
    ('errors', 'game_over', 'en', 'the game is over'),
    ('errors', 'game_over', 'es', 'la partida terminó'),
    ('errors', 'already_in_game', 'en', 'finish or leave the current game first'),
    ('errors', 'already_in_game', 'es', 'termina o abandona primero la partida actual'),
    ('errors', 'busy', 'en', 'the server is busy; try again shortly'),
    ('errors', 'busy', 'es', 'el servidor está ocupado; inténtalo de nuevo en un momento'),
    ('errors', 'already_queued', 'en', 'already waiting for a match'),
    ('errors', 'already_queued', 'es', 'ya estás esperando una partida'),
    ('errors', 'party_not_found', 'en', 'no such party'),
    ('errors', 'party_not_found', 'es', 'ese grupo no existe'),
    ('errors', 'party_full', 'en', 'the party is full'),
    ('errors', 'party_full', 'es', 'el grupo está lleno'),
    ('errors', 'already_in_party', 'en', 'leave your party first'),
    ('errors', 'already_in_party', 'es', 'sal primero de tu grupo'),
    ('errors', 'not_party_leader', 'en', 'only the party leader can do that'),
    ('errors', 'not_party_leader', 'es', 'solo quien lidera el grupo puede hacerlo'),
    ('errors', 'challenge_not_found', 'en', 'no such challenge'),
    ('errors', 'challenge_not_found', 'es', 'ese desafío no existe'),
    ('errors', 'challenge_not_active', 'en', 'that challenge is not running'),
    ('errors', 'challenge_not_active', 'es', 'ese desafío no está activo'),
    ('errors', 'no_attempts_left', 'en', 'every attempt at that challenge is used'),
    ('errors', 'no_attempts_left', 'es', 'ya usaste todos los intentos de ese desafío')
ON CONFLICT (namespace, key, language) DO NOTHING;
