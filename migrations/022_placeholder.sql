-- 022: placeholder so the i16-notifications branch loads on its own (the loader
-- refuses gaps). Reserved for 022_translations.sql (lane i16-translations):
-- DELETE this file when that migration is merged.
SELECT 1;
