-- genq schema v1: accounts, the coin ledger, quotes and generations.

create table account (
    id         uuid primary key,
    name       text        not null,
    created_at timestamptz not null default now()
);

-- API keys are stored as SHA-256 digests; the plaintext is shown once, at creation.
create table api_key (
    id         uuid primary key,
    account_id uuid        not null references account (id),
    key_hash   text        not null unique,
    key_prefix text        not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz
);
create index api_key_account on api_key (account_id);

-- A wallet holds one account's side of the ledger as counters, in TigerBeetle's manner.
-- balance = credits_posted - debits_posted - debits_pending; the check makes overdraft impossible.
create table wallet (
    account_id     uuid primary key references account (id),
    credits_posted bigint      not null default 0 check (credits_posted >= 0),
    debits_pending bigint      not null default 0 check (debits_pending >= 0),
    debits_posted  bigint      not null default 0 check (debits_posted >= 0),
    updated_at     timestamptz not null default now(),
    constraint wallet_no_overdraft check (debits_posted + debits_pending <= credits_posted)
);

-- Append-only, double-entry transfers. A PENDING transfer (a reservation) is resolved by exactly one
-- POST_PENDING or VOID_PENDING transfer: the unique pending_id makes a second resolution impossible.
create table ledger_transfer (
    id                uuid primary key,
    debit_account_id  uuid        not null,
    credit_account_id uuid        not null,
    amount_coins      bigint      not null check (amount_coins >= 0),
    kind              text        not null check (kind in ('SINGLE', 'PENDING', 'POST_PENDING', 'VOID_PENDING')),
    pending_id        uuid unique references ledger_transfer (id),
    expires_at        timestamptz,
    reason            text        not null,
    created_at        timestamptz not null default now(),
    constraint resolution_names_pending check ((kind in ('POST_PENDING', 'VOID_PENDING')) = (pending_id is not null))
);
create index ledger_transfer_debit on ledger_transfer (debit_account_id, created_at);
create index ledger_transfer_credit on ledger_transfer (credit_account_id, created_at);

create table quote (
    id           uuid primary key,
    account_id   uuid        not null references account (id),
    model        text        not null,
    inputs       jsonb       not null,
    units        int         not null,
    price_coins  bigint      not null check (price_coins >= 0),
    expires_at   timestamptz not null,
    created_at   timestamptz not null default now()
);

create table generation (
    id               uuid primary key,
    account_id       uuid        not null references account (id),
    model            text        not null,
    inputs           jsonb       not null,
    units            int         not null check (units > 0),
    price_coins      bigint      not null check (price_coins >= 0),
    quote_id         uuid references quote (id),
    status           text        not null check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    progress         int         not null default 0,
    attempts         int         not null default 0,
    provider_task_id text,
    outputs          jsonb       not null default '[]',
    error_code       text,
    error_message    text,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz not null default now()
);
create index generation_history on generation (account_id, created_at desc, id desc);
create index generation_queued on generation (created_at) where status = 'QUEUED';
