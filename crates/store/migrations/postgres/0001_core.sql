-- Platform core: org tree, people, accounts, grants, sessions, API tokens,
-- audit chain, imported calendar years.
-- Times are TIMESTAMPTZ; ids are UUIDv7. Paths use the C collation so that the
-- subtree range scan [path, path_end) compares bytes. Only statements that
-- CockroachDB and YugabyteDB also accept.

CREATE TABLE org_units (
    id          UUID PRIMARY KEY NOT NULL,
    parent_id   UUID REFERENCES org_units (id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    short_name  TEXT,
    path        TEXT COLLATE "C" NOT NULL UNIQUE,
    depth       INTEGER NOT NULL,
    sort_order  BIGINT NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX org_units_parent ON org_units (parent_id, sort_order);

CREATE TABLE people (
    id                   UUID PRIMARY KEY NOT NULL,
    org_unit_id          UUID NOT NULL REFERENCES org_units (id),
    name                 TEXT NOT NULL,
    gender               TEXT,
    position             TEXT,
    is_party_member      BOOLEAN NOT NULL,
    is_head              BOOLEAN NOT NULL,
    is_leadership_member BOOLEAN NOT NULL,
    sort_order           BIGINT NOT NULL DEFAULT 0,
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_org ON people (org_unit_id, sort_order);
CREATE INDEX people_name ON people (name);

CREATE TABLE accounts (
    id                   UUID PRIMARY KEY NOT NULL,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    org_unit_id          UUID REFERENCES org_units (id),
    person_id            UUID REFERENCES people (id),
    password_hash        TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMPTZ,
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    last_login_at        TIMESTAMPTZ,
    password_changed_at  TIMESTAMPTZ NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX accounts_org ON accounts (org_unit_id);

CREATE TABLE grants (
    id          UUID PRIMARY KEY NOT NULL,
    account_id  UUID NOT NULL REFERENCES accounts (id),
    role        TEXT NOT NULL,
    org_unit_id UUID REFERENCES org_units (id),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX grants_account ON grants (account_id);
CREATE INDEX grants_org ON grants (org_unit_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    account_id   UUID NOT NULL REFERENCES accounts (id),
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id           UUID PRIMARY KEY NOT NULL,
    account_id   UUID NOT NULL REFERENCES accounts (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_events (
    seq            BIGINT PRIMARY KEY NOT NULL,
    at             TIMESTAMPTZ NOT NULL,
    actor_id       UUID,
    actor_label    TEXT NOT NULL,
    action         TEXT NOT NULL,
    entity         TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    org_unit_id    UUID,
    payload        TEXT NOT NULL,
    payload_digest TEXT NOT NULL,
    algo           TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_org ON audit_events (org_unit_id, seq);

CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY NOT NULL,
    source      TEXT NOT NULL,
    holidays    TEXT NOT NULL,
    workdays    TEXT NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL
);
