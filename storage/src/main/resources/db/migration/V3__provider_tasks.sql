-- genq schema v3: a generation remembers the vendor task it started, so waiting on the vendor holds
-- no JobRunr worker: a poller checks due tasks (next_check_at) and a re-run resumes the same task.
alter table generation add column provider text;
alter table generation add column provider_deadline_at timestamptz;
alter table generation add column next_check_at timestamptz;
create index generation_due_checks on generation (next_check_at)
    where status = 'RUNNING' and provider_task_id is not null;
