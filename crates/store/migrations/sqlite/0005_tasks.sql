-- 部署分解 and 责任清单: directives with their source text and draft,
-- cascaded tasks with their steps, progress reports and deadline change
-- requests, and responsibility lists with their items and 履责记实.
-- Civil dates are TEXT 'YYYY-MM-DD'; instants as in 0001.

CREATE TABLE directives (
    id              BLOB PRIMARY KEY NOT NULL,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    reference       TEXT,
    issuing_unit_id BLOB NOT NULL REFERENCES org_units (id),
    issued_on       TEXT NOT NULL,
    source_text     TEXT NOT NULL,
    -- The outline read from the source text (JSON), and the draft items
    -- being edited (JSON); the draft is kept after issue for the record.
    outline         TEXT NOT NULL,
    draft           TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    issued_at       BIGINT,
    -- The 问题清单 made of the problems the text lists, once made.
    batch_id        BLOB REFERENCES problem_batches (id)
);
CREATE INDEX directives_unit ON directives (issuing_unit_id, issued_on);

-- Responsibility lists: one per unit, kind and year; each level's list is
-- derived from its parent's (inherited entries link to the parent entry).
CREATE TABLE duty_lists (
    id              BLOB PRIMARY KEY NOT NULL,
    org_unit_id     BLOB NOT NULL REFERENCES org_units (id),
    kind            TEXT NOT NULL,
    year            BIGINT NOT NULL,
    parent_list_id  BLOB REFERENCES duty_lists (id),
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX duty_lists_unit ON duty_lists (org_unit_id, kind, year);

CREATE TABLE duty_entries (
    id             BLOB PRIMARY KEY NOT NULL,
    list_id        BLOB NOT NULL REFERENCES duty_lists (id),
    seq            BIGINT NOT NULL,
    text           TEXT NOT NULL,
    duty           TEXT NOT NULL,
    recurrence     TEXT NOT NULL,
    times          BIGINT NOT NULL,
    due_from       TEXT NOT NULL,
    due_days       BIGINT NOT NULL,
    inherited_from BLOB REFERENCES duty_entries (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX duty_entries_list ON duty_entries (list_id, seq);

-- Tasks: a directive's top-level tasks and their sub-tasks (parent_id), or
-- the occurrences of a responsibility list entry (duty_entry_id).
CREATE TABLE tasks (
    id                    BLOB PRIMARY KEY NOT NULL,
    directive_id          BLOB REFERENCES directives (id),
    duty_entry_id         BLOB REFERENCES duty_entries (id),
    occurrence            TEXT,
    parent_id             BLOB REFERENCES tasks (id),
    seq                   BIGINT NOT NULL,
    code                  TEXT NOT NULL,
    depth                 BIGINT NOT NULL,
    issuing_unit_id       BLOB NOT NULL REFERENCES org_units (id),
    lead_unit_id          BLOB NOT NULL REFERENCES org_units (id),
    owner_id              BLOB REFERENCES people (id),
    supervising_leader_id BLOB REFERENCES people (id),
    title                 TEXT NOT NULL,
    body                  TEXT,
    deadline              TEXT NOT NULL,
    milestones            TEXT NOT NULL,
    weight                BIGINT NOT NULL,
    status                TEXT NOT NULL,
    reported              BIGINT,
    progress              BIGINT NOT NULL,
    warning               TEXT NOT NULL,
    warning_reason        TEXT NOT NULL,
    issued_on             TEXT NOT NULL,
    accepted_on           TEXT,
    done_on               TEXT,
    last_reason           TEXT,
    escalated_on          TEXT,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE INDEX tasks_directive ON tasks (directive_id, code);
CREATE INDEX tasks_parent ON tasks (parent_id);
CREATE INDEX tasks_lead ON tasks (lead_unit_id, status);
CREATE INDEX tasks_duty ON tasks (duty_entry_id);

CREATE TABLE task_supporting_units (
    task_id BLOB NOT NULL REFERENCES tasks (id),
    unit_id BLOB NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (task_id, unit_id)
);

CREATE TABLE task_steps (
    id          BLOB PRIMARY KEY NOT NULL,
    task_id     BLOB NOT NULL REFERENCES tasks (id),
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    comment     TEXT,
    actor_label TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX task_steps_task ON task_steps (task_id, at);

-- Progress is reported once, on a leaf; parents derive theirs.
CREATE TABLE task_reports (
    id          BLOB PRIMARY KEY NOT NULL,
    task_id     BLOB NOT NULL REFERENCES tasks (id),
    percent     BIGINT NOT NULL,
    note        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX task_reports_task ON task_reports (task_id, at);

CREATE TABLE deadline_changes (
    id                 BLOB PRIMARY KEY NOT NULL,
    task_id            BLOB NOT NULL REFERENCES tasks (id),
    current_deadline   TEXT NOT NULL,
    requested_deadline TEXT NOT NULL,
    reason             TEXT NOT NULL,
    status             TEXT NOT NULL,
    decision_comment   TEXT,
    requested_by       TEXT NOT NULL,
    decided_by         TEXT,
    requested_at       BIGINT NOT NULL,
    decided_at         BIGINT
);
CREATE INDEX deadline_changes_task ON deadline_changes (task_id, requested_at);

-- 履责记实: what was done for a list entry, attached to the entry (and to
-- the occurrence's task it completes), never typed again in a report.
CREATE TABLE duty_records (
    id          BLOB PRIMARY KEY NOT NULL,
    entry_id    BLOB NOT NULL REFERENCES duty_entries (id),
    task_id     BLOB REFERENCES tasks (id),
    note        TEXT NOT NULL,
    done_on     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX duty_records_entry ON duty_records (entry_id, done_on);
