-- genq schema v8: customer webhooks. An account registers endpoints; each generation that ends
-- becomes a delivery per endpoint, written in the transaction that ends it (nothing is lost), sent
-- signed per Standard Webhooks and retried for 24 h, every attempt kept for the account to read.
create table webhook_endpoint (
    id          uuid primary key,
    account_id  uuid        not null references account (id),
    url         text        not null check (length(url) between 1 and 2000),
    secret      text        not null,
    description text check (length(description) <= 200),
    created_at  timestamptz not null default now(),
    disabled_at timestamptz
);
create index webhook_endpoint_account on webhook_endpoint (account_id) where disabled_at is null;

create table webhook_delivery (
    id              uuid primary key, -- the webhook-id a receiver deduplicates on; a replay sends it again
    endpoint_id     uuid        not null references webhook_endpoint (id),
    account_id      uuid        not null,
    generation_id   uuid        not null,
    event_type      text        not null,
    payload         text        not null,
    status          text        not null check (status in ('pending', 'delivered', 'failed')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz,
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz,
    last_status     int,
    last_error      text
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, created_at desc, id);

create table webhook_attempt (
    id          uuid primary key,
    delivery_id uuid        not null references webhook_delivery (id),
    attempt     int         not null,
    at          timestamptz not null,
    status_code int,
    error       text,
    duration_ms int         not null,
    unique (delivery_id, attempt)
);
