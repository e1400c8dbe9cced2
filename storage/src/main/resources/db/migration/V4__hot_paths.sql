-- genq schema v4: a vendor's webhook names its task; waking that task's check must find the row by
-- index, not by scanning every generation.
create index generation_running_task on generation (provider_task_id, provider) where status = 'RUNNING';
