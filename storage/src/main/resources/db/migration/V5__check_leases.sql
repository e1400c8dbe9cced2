-- genq schema v5: while a worker checks a vendor task or stores its outputs, the task is leased to
-- that worker (check_leased_until). A webhook that arrives meanwhile no longer hands the same task
-- to a second worker, which would download and upload the outputs again; it is kept (woken_at) and
-- honoured when the check ends, so the next check is not left to the poll interval either.
alter table generation add column check_leased_until timestamptz;
alter table generation add column woken_at timestamptz;
