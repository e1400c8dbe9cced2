-- genq schema v7: account keys with names, scopes, last use and a rotation's overlap; admins as people.
-- scopes is a space-separated set, as in OAuth: read (look), submit (spend), keys (manage keys and tokens).
alter table api_key add column name text not null default 'first key' check (length(name) between 1 and 100);
alter table api_key add column scopes text not null default 'read submit keys'
    check (scopes ~ '^(read|submit|keys)( (read|submit|keys))*$');
-- Written when a node loads the key into its cache (at most every 30 s per node), never per request.
alter table api_key add column last_used_at timestamptz;
-- Set by a rotation: the old key keeps working until then, so a fleet can move to the new one.
alter table api_key add column expires_at timestamptz;

-- A person who operates genq, with one role: support reads; finance also adjusts and charges back;
-- admin also changes prices, routes and keys. Every admin change records the key's person.
create table admin_key (
    id           uuid primary key,
    person       text        not null check (length(person) between 1 and 200),
    role         text        not null check (role in ('support', 'finance', 'admin')),
    key_hash     text        not null unique,
    key_prefix   text        not null,
    created_at   timestamptz not null default now(),
    created_by   text        not null,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
