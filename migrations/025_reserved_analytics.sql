-- 025_reserved_analytics: placeholder of another issue-16 lane's migration, only so the
-- loader (no gaps) runs 026 on this branch. DROP THIS FILE AT MERGE.
SELECT 1;
