-- 组织生活 and 谈话: the branch roster with its history, annual plans,
-- meetings with their attendance, and talks. Civil dates are TEXT
-- 'YYYY-MM-DD'; instants as in 0001.

CREATE TABLE memberships (
    id              BLOB PRIMARY KEY NOT NULL,
    person_id       BLOB NOT NULL REFERENCES people (id),
    branch_id       BLOB NOT NULL REFERENCES org_units (id),
    cell_id         BLOB REFERENCES org_units (id),
    status          TEXT NOT NULL,
    joined_on       TEXT NOT NULL,
    committee_role  TEXT,
    vote_suspended  BOOLEAN NOT NULL,
    entered_on      TEXT NOT NULL,
    left_on         TEXT,
    transfer_reason TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX memberships_branch ON memberships (branch_id, left_on);
CREATE INDEX memberships_person ON memberships (person_id, entered_on);

CREATE TABLE meeting_plans (
    id         BLOB PRIMARY KEY NOT NULL,
    branch_id  BLOB NOT NULL REFERENCES org_units (id),
    kind       TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    topic      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX meeting_plans_branch ON meeting_plans (branch_id, planned_on);

CREATE TABLE meetings (
    id               BLOB PRIMARY KEY NOT NULL,
    branch_id        BLOB NOT NULL REFERENCES org_units (id),
    kind             TEXT NOT NULL,
    held_on          TEXT NOT NULL,
    topic            TEXT NOT NULL,
    place            TEXT,
    host_id          BLOB REFERENCES people (id),
    minutes          TEXT,
    plan_id          BLOB REFERENCES meeting_plans (id),
    decision_title   TEXT,
    votes_entitled   BIGINT,
    votes_present    BIGINT,
    votes_yes        BIGINT,
    votes_no         BIGINT,
    votes_abstain    BIGINT,
    decision_outcome TEXT,
    recorded_by      TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX meetings_branch ON meetings (branch_id, held_on);
CREATE UNIQUE INDEX meetings_plan ON meetings (plan_id);

CREATE TABLE attendance (
    meeting_id   BLOB NOT NULL REFERENCES meetings (id),
    person_id    BLOB NOT NULL REFERENCES people (id),
    mark         TEXT NOT NULL,
    reason       TEXT,
    voting       BOOLEAN NOT NULL,
    probationary BOOLEAN NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX attendance_person ON attendance (person_id);

-- Attachments (签到表, photos, 会议纪要) kept in the content-addressed file store.
CREATE TABLE meeting_files (
    id           BLOB PRIMARY KEY NOT NULL,
    meeting_id   BLOB NOT NULL REFERENCES meetings (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL REFERENCES evidence_files (sha256),
    sm3          TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX meeting_files_meeting ON meeting_files (meeting_id);

CREATE TABLE talks (
    id          BLOB PRIMARY KEY NOT NULL,
    org_unit_id BLOB NOT NULL REFERENCES org_units (id),
    kind        TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    place       TEXT,
    subject     TEXT NOT NULL,
    points      TEXT NOT NULL,
    commitments TEXT,
    batch_id    BLOB REFERENCES problem_batches (id),
    recorded_by TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX talks_unit ON talks (org_unit_id, held_on);

CREATE TABLE talk_people (
    talk_id   BLOB NOT NULL REFERENCES talks (id),
    person_id BLOB NOT NULL REFERENCES people (id),
    side      TEXT NOT NULL,
    PRIMARY KEY (talk_id, person_id)
);
CREATE INDEX talk_people_person ON talk_people (person_id);
