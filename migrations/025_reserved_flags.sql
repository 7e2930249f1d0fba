-- 025_reserved_flags: placeholder of another lane's migration, only so the
-- loader (no gaps) runs 028 on this branch. DROP THIS FILE AT MERGE.
SELECT 1;
