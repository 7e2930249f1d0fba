-- 012_reserved: PLACEHOLDER on branch fix-h2 only. Version 012 belongs to
-- another change of issue 10 that lands in the same merge; this empty step
-- only keeps the versions gap-free so this branch's tests run. Delete this
-- file when merging that change's 012.
SELECT 1;
