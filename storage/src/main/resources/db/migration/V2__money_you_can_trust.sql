-- genq schema v2: blocked accounts, adjustments with memo and actor, idempotency keys, versioned
-- prices, the duplicate-order guard, payment events and ledger reconciliation runs.

-- A blocked wallet refuses new reservations inside the same conditional UPDATE that reserves, so a
-- chargeback and a submit racing on one wallet serialize on its row.
alter table wallet add column blocked boolean not null default false;
alter table account add column blocked_at timestamptz;
alter table account add column blocked_reason text;

-- Why a person moved coins by hand, and who.
alter table ledger_transfer add column memo text;
alter table ledger_transfer add column actor text;
-- The outside event a transfer came from, such as a payment ("nowpayments:5077125051").
alter table ledger_transfer add column external_ref text;
create index ledger_transfer_external_ref on ledger_transfer (external_ref) where external_ref is not null;
create index ledger_transfer_open_expiry on ledger_transfer (expires_at) where kind = 'PENDING';

-- Stripe-style idempotency: the row is claimed before the work and completed in the work's own
-- transaction, so a stored response exists exactly when the effect committed.
create table idempotency_key (
    scope           text        not null,
    key             text        not null,
    request_hash    text        not null,
    owner           uuid        not null,
    state           text        not null check (state in ('STARTED', 'COMPLETED')),
    response_status int,
    response_body   text,
    created_at      timestamptz not null default now(),
    locked_at       timestamptz not null default now(),
    primary key (scope, key)
);
create index idempotency_key_age on idempotency_key (created_at);

-- Price changes are appended; version 0 is the catalog file's price.
create table model_price (
    model          text        not null,
    version        int         not null check (version > 0),
    coins_per_unit bigint      not null check (coins_per_unit >= 0),
    enabled        boolean     not null,
    changed_by     text        not null,
    reason         text        not null,
    created_at     timestamptz not null default now(),
    primary key (model, version)
);
alter table quote add column price_version int not null default 0;
alter table generation add column price_version int not null default 0;

-- At most one active generation per account, model and target (a link, or a hash of the inputs).
alter table generation add column dedupe_key text;
create unique index generation_active_target on generation (account_id, model, dedupe_key)
    where dedupe_key is not null and status in ('QUEUED', 'RUNNING');

-- A payment at a payment provider; its status only moves up in rank, and credited_coins says how
-- much of it reached the wallet (each credit is a transfer whose id derives from the event).
create table payment (
    provider       text        not null,
    payment_id     text        not null,
    account_id     uuid        not null references account (id),
    status         text        not null,
    status_rank    int         not null,
    credited_coins bigint      not null default 0 check (credited_coins >= 0),
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    primary key (provider, payment_id)
);

create table ledger_reconciliation (
    id            bigserial primary key,
    ran_at        timestamptz not null default now(),
    discrepancies int         not null,
    details       text        not null
);
