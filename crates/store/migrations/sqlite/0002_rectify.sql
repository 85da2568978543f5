-- Rectification (问题清单 → 整改 → 销号). Civil dates are TEXT 'YYYY-MM-DD'
-- (they compare correctly as text on every engine); instants as in 0001.

CREATE TABLE campaigns (
    id          BLOB PRIMARY KEY NOT NULL,
    org_unit_id BLOB NOT NULL REFERENCES org_units (id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE problem_batches (
    id              BLOB PRIMARY KEY NOT NULL,
    source          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    issuing_unit_id BLOB NOT NULL REFERENCES org_units (id),
    issued_on       TEXT NOT NULL,
    summary         TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX problem_batches_issuer ON problem_batches (issuing_unit_id, issued_on);

CREATE TABLE problems (
    id              BLOB PRIMARY KEY NOT NULL,
    batch_id        BLOB NOT NULL REFERENCES problem_batches (id),
    seq             BIGINT NOT NULL,
    description     TEXT NOT NULL,
    root_cause      TEXT NOT NULL,
    eight_rules     TEXT,
    campaign_id     BLOB REFERENCES campaigns (id),
    lead_unit_id    BLOB NOT NULL REFERENCES org_units (id),
    leader_id       BLOB REFERENCES people (id),
    owner_id        BLOB REFERENCES people (id),
    deadline        TEXT NOT NULL,
    schedule        TEXT NOT NULL,
    status          TEXT NOT NULL,
    warning         TEXT NOT NULL,
    warning_reason  TEXT NOT NULL,
    progress        BIGINT NOT NULL,
    relapsed        BOOLEAN NOT NULL,
    paper           BOOLEAN NOT NULL,
    requested_on    TEXT,
    closed_on       TEXT,
    lookback_due    TEXT,
    published       BOOLEAN NOT NULL,
    public_fields   TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (batch_id, seq)
);
CREATE INDEX problems_lead ON problems (lead_unit_id, status);
CREATE INDEX problems_status_deadline ON problems (status, deadline);
CREATE INDEX problems_lookback ON problems (lookback_due);
CREATE INDEX problems_leader ON problems (leader_id, warning);

CREATE TABLE problem_supporting_units (
    problem_id  BLOB NOT NULL REFERENCES problems (id),
    org_unit_id BLOB NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (problem_id, org_unit_id)
);

CREATE TABLE measures (
    id          BLOB PRIMARY KEY NOT NULL,
    org_unit_id BLOB NOT NULL REFERENCES org_units (id),
    title       TEXT NOT NULL,
    owner_id    BLOB REFERENCES people (id),
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL,
    done_on     TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX measures_org ON measures (org_unit_id, status, due_on);

CREATE TABLE problem_measures (
    problem_id BLOB NOT NULL REFERENCES problems (id),
    measure_id BLOB NOT NULL REFERENCES measures (id),
    PRIMARY KEY (problem_id, measure_id)
);
CREATE INDEX problem_measures_measure ON problem_measures (measure_id);

CREATE TABLE evidence_files (
    sha256  TEXT PRIMARY KEY NOT NULL,
    sm3     TEXT NOT NULL,
    size    BIGINT NOT NULL,
    content BLOB NOT NULL
);

CREATE TABLE evidence (
    id            BLOB PRIMARY KEY NOT NULL,
    measure_id    BLOB NOT NULL REFERENCES measures (id),
    revision_of   BLOB REFERENCES evidence (id),
    superseded    BOOLEAN NOT NULL,
    note          TEXT,
    file_name     TEXT,
    content_type  TEXT,
    size          BIGINT,
    sha256        TEXT REFERENCES evidence_files (sha256),
    sm3           TEXT,
    dated_on      TEXT NOT NULL,
    submitted_by  TEXT NOT NULL,
    submitted_at  BIGINT NOT NULL
);
CREATE INDEX evidence_measure ON evidence (measure_id);
CREATE INDEX evidence_sha256 ON evidence (sha256);

CREATE TABLE closures (
    id               BLOB PRIMARY KEY NOT NULL,
    problem_id       BLOB NOT NULL REFERENCES problems (id),
    requested_on     TEXT,
    closed_on        TEXT NOT NULL,
    closed_by        TEXT NOT NULL,
    state_digest     TEXT NOT NULL,
    lookback_due     TEXT NOT NULL,
    lookback_result  TEXT,
    lookback_on      TEXT,
    lookback_by      TEXT,
    lookback_comment TEXT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX closures_problem ON closures (problem_id, closed_on);

CREATE TABLE problem_steps (
    id          BLOB PRIMARY KEY NOT NULL,
    problem_id  BLOB NOT NULL REFERENCES problems (id),
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    comment     TEXT,
    closure_id  BLOB REFERENCES closures (id),
    actor_label TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX problem_steps_problem ON problem_steps (problem_id, at);
CREATE INDEX problem_steps_action ON problem_steps (action, on_date);

CREATE TABLE extension_requests (
    id               BLOB PRIMARY KEY NOT NULL,
    problem_id       BLOB NOT NULL REFERENCES problems (id),
    old_deadline     TEXT NOT NULL,
    new_deadline     TEXT NOT NULL,
    reason           TEXT NOT NULL,
    status           TEXT NOT NULL,
    requested_by     TEXT NOT NULL,
    requested_at     BIGINT NOT NULL,
    decided_by       TEXT,
    decided_at       BIGINT,
    decision_comment TEXT
);
CREATE INDEX extension_requests_problem ON extension_requests (problem_id, status);

CREATE TABLE escalations (
    id          BLOB PRIMARY KEY NOT NULL,
    problem_id  BLOB NOT NULL REFERENCES problems (id),
    leader_id   BLOB REFERENCES people (id),
    raised_on   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    resolved_on TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX escalations_problem ON escalations (problem_id, resolved_on);
CREATE INDEX escalations_leader ON escalations (leader_id, resolved_on);

CREATE TABLE spot_checks (
    id                BLOB PRIMARY KEY NOT NULL,
    scope_unit_id     BLOB NOT NULL REFERENCES org_units (id),
    title             TEXT NOT NULL,
    seed              BIGINT NOT NULL,
    sample_size       BIGINT NOT NULL,
    candidate_count   BIGINT NOT NULL,
    candidates_digest TEXT NOT NULL,
    drawn_by          TEXT NOT NULL,
    drawn_at          BIGINT NOT NULL
);
CREATE INDEX spot_checks_scope ON spot_checks (scope_unit_id);

CREATE TABLE spot_check_items (
    spot_check_id BLOB NOT NULL REFERENCES spot_checks (id),
    problem_id    BLOB NOT NULL REFERENCES problems (id),
    result        TEXT,
    findings      TEXT,
    checked_on    TEXT,
    PRIMARY KEY (spot_check_id, problem_id)
);
CREATE INDEX spot_check_items_problem ON spot_check_items (problem_id);

CREATE TABLE public_ratings (
    id           BLOB PRIMARY KEY NOT NULL,
    problem_id   BLOB NOT NULL REFERENCES problems (id),
    rating       TEXT NOT NULL,
    comment      TEXT,
    receipt_hash TEXT NOT NULL UNIQUE,
    reviewed     BOOLEAN NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX public_ratings_problem ON public_ratings (problem_id, reviewed);

-- Board figures per unit for its whole subtree, maintained in the same
-- transaction as every change; `rectify recount` rebuilds them from rows.
CREATE TABLE rectify_tallies (
    org_unit_id BLOB NOT NULL REFERENCES org_units (id),
    dim         TEXT NOT NULL,
    key         TEXT NOT NULL,
    total       BIGINT NOT NULL,
    unclaimed   BIGINT NOT NULL,
    in_progress BIGINT NOT NULL,
    requested   BIGINT NOT NULL,
    closed      BIGINT NOT NULL,
    red         BIGINT NOT NULL,
    yellow      BIGINT NOT NULL,
    relapsed    BIGINT NOT NULL,
    paper       BIGINT NOT NULL,
    PRIMARY KEY (org_unit_id, dim, key)
);

-- Daily copies of the `all` tallies, for the trend chart.
CREATE TABLE rectify_daily (
    org_unit_id BLOB NOT NULL REFERENCES org_units (id),
    day         TEXT NOT NULL,
    total       BIGINT NOT NULL,
    closed      BIGINT NOT NULL,
    red         BIGINT NOT NULL,
    relapsed    BIGINT NOT NULL,
    paper       BIGINT NOT NULL,
    PRIMARY KEY (org_unit_id, day)
);
