-- 026_reserved: placeholder of another lane's migration, only so the loader
-- (no gaps) runs 027 on this branch. DROP THIS FILE AT MERGE.
SELECT 1;
