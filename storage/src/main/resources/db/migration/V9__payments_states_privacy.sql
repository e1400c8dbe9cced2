-- genq schema v9: top-ups genq starts at a gateway, account states with their history, the activity
-- log, personal data an account can rectify, export and erase, and what retention removes.

-- An account is active, suspended (an admin's pause: nothing new is paid, the balance stays),
-- blocked (a chargeback: the balance is forfeited) or closed (erased; nothing reopens it).
alter table account add column state text not null default 'active'
    check (state in ('active', 'suspended', 'blocked', 'closed'));
alter table account add column state_reason text;
alter table account add column state_changed_at timestamptz;
update account set state = 'blocked', state_reason = blocked_reason, state_changed_at = blocked_at where blocked_at is not null;
alter table account drop column blocked_at;
alter table account drop column blocked_reason;
alter table account add column email text check (length(email) <= 254);
alter table account add column phone text check (length(phone) <= 32);
-- Set when an erasure closes the account; its history is purged a retention period later.
alter table account add column closed_at timestamptz;
create index account_closed on account (closed_at) where closed_at is not null;

-- Every state change: who, why, from what to what.
create table account_state_change (
    id         bigserial primary key,
    account_id uuid        not null references account (id),
    from_state text        not null,
    to_state   text        not null,
    reason     text        not null,
    actor      text        not null,
    at         timestamptz not null default now()
);
create index account_state_change_account on account_state_change (account_id, at desc);

-- A payment is now usually a top-up genq created at the gateway: what was asked (amount, currency,
-- the rate in force and the coins that buys), where the user was sent, and what was actually paid.
-- review_reason is set when a notification disagrees with the created payment (credited only what
-- was paid). Rows without id are payments a frontend started itself before genq could.
alter table payment add column id uuid unique;
create sequence payment_number;
-- An integer order number for gateways whose order ids are integers (Robokassa's InvId).
alter table payment add column number bigint unique;
alter table payment add column amount numeric(20, 8) check (amount > 0);
alter table payment add column currency text;
alter table payment add column coins_per_unit numeric(20, 8) check (coins_per_unit > 0);
alter table payment add column coins bigint check (coins > 0);
alter table payment add column paid_amount numeric(20, 8);
alter table payment add column paid_currency text;
alter table payment add column return_url text;
alter table payment add column payment_url text;
alter table payment add column review_reason text;
alter table payment add column key_id uuid;
-- genq's reading of the gateway's status: what the user sees.
alter table payment add column state text not null default 'pending'
    check (state in ('pending', 'paid', 'partially_paid', 'failed', 'reversed'));
update payment set state = 'paid' where credited_coins > 0;
create index payment_account on payment (account_id, created_at desc);
create index payment_review on payment (updated_at) where review_reason is not null;

-- A verified notification naming a payment genq never created: nothing is credited, finance looks.
create table payment_unmatched (
    provider    text        not null,
    payment_ref text        not null,
    status      text        not null,
    amount      text,
    currency    text,
    received_at timestamptz not null default now(),
    primary key (provider, payment_ref)
);

-- Security-relevant events. Rows are never changed, except that an erasure removes the source
-- address and user agent (personal data); retention deletes whole rows after a year.
create table activity (
    id         bigserial primary key,
    at         timestamptz not null default now(),
    account_id uuid,
    actor      text        not null,
    kind       text        not null,
    detail     text,
    ip         text,
    user_agent text
);
create index activity_account on activity (account_id, at desc, id desc);
create index activity_at on activity (at);
create function activity_append_only() returns trigger language plpgsql as $$
begin
    if (new.id, new.at, new.account_id, new.actor, new.kind, new.detail) is distinct from
       (old.id, old.at, old.account_id, old.actor, old.kind, old.detail)
       or (new.ip is not null and new.ip is distinct from old.ip)
       or (new.user_agent is not null and new.user_agent is distinct from old.user_agent) then
        raise exception 'the activity log is append-only';
    end if;
    return new;
end $$;
create trigger activity_append_only before update on activity for each row execute function activity_append_only();

-- Outputs are deleted from S3 a retention period after their generation ends; the status then
-- says so. The partial index holds only succeeded generations whose outputs still exist.
alter table generation add column outputs_expired_at timestamptz;
create index generation_outputs_live on generation (finished_at) where status = 'SUCCEEDED' and outputs_expired_at is null;

-- Billing records past their retention are archived (or purged) in batches. What they added to each
-- account's counters is carried here, so the ledger audit still proves every wallet exactly.
create table ledger_carry (
    account_id uuid primary key,
    credited   bigint not null default 0,
    posted     bigint not null default 0,
    transfers  bigint not null default 0
);
create table ledger_archive (
    id         bigserial primary key,
    before     timestamptz not null,
    transfers  int         not null,
    payments   int         not null,
    object_key text,
    ran_at     timestamptz not null default now()
);
