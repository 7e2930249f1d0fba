-- 022_reserved_translations: placeholder of another issue-16 lane's migration, only so the
-- loader (no gaps) runs 025 on this branch. DROP THIS FILE AT MERGE.
SELECT 1;
