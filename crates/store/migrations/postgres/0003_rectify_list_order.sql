-- The problem list's sort orders as indexes, so a page of a province-sized
-- list reads its own rows instead of sorting every problem.
CREATE INDEX problem_batches_issued ON problem_batches (issued_on, id);
CREATE INDEX problems_deadline ON problems (deadline, id);
CREATE INDEX problems_updated ON problems (updated_at, id);
