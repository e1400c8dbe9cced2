-- genq schema v6: what a generation charged, and cancels that reach the vendor.
-- charged_coins and delivered_units are written with the terminal status, in the transaction that
-- posts or voids the reservation, so a status read shows exactly what the ledger did.
alter table generation add column charged_coins bigint check (charged_coins >= 0 and charged_coins <= price_coins);
alter table generation add column delivered_units int check (delivered_units >= 0);
update generation g
set charged_coins = coalesce((select r.amount_coins from ledger_transfer r where r.pending_id = g.id and r.kind = 'POST_PENDING'), 0)
where g.status in ('SUCCEEDED', 'FAILED', 'CANCELLED');
-- The owner asked to stop a running generation (models whose vendor allows it); the worker cancels at the vendor.
alter table generation add column cancel_requested_at timestamptz;
-- genq asked the vendor to cancel the task (past its deadline, or for the owner); sent once, then only checked.
alter table generation add column vendor_cancel_at timestamptz;
-- No new index: overdue tasks are found through generation_due_checks (every running vendor task
-- is in it), and another index on this table would cost every row version on the hot path.
