-- 信访举报: reports as received (the public form, or staff for 来信/来访/
-- 来电), their near-duplicate fingerprints, the two-way messages with the
-- reporter, and identity releases. A real-name reporter's identity is kept
-- only as a sealed envelope (SM4-GCM under a key held outside the
-- database, bound to the report id); a receipt code only as its argon2id
-- hash. No IP address is stored. Civil dates are TEXT 'YYYY-MM-DD';
-- instants as in 0001.

CREATE TABLE reports (
    id               BLOB PRIMARY KEY NOT NULL,
    -- 登记编号, given at registration (受理).
    reg_no           TEXT,
    kind             TEXT NOT NULL,
    channel          TEXT NOT NULL,
    category         TEXT NOT NULL,
    eight_rules      TEXT,
    reported_name    TEXT,
    reported_unit    TEXT,
    reported_post    TEXT,
    reported_level   TEXT,
    title            TEXT NOT NULL,
    content          TEXT NOT NULL,
    real_name        BOOLEAN NOT NULL,
    identity_sealed  TEXT,
    receipt_hash     TEXT,
    -- The 信访举报 office that received it, and the unit handling it.
    intake_unit_id   BLOB NOT NULL REFERENCES org_units (id),
    handling_unit_id BLOB REFERENCES org_units (id),
    status           TEXT NOT NULL,
    received_on      TEXT NOT NULL,
    accept_due       TEXT NOT NULL,
    notice_due       TEXT,
    accepted_on      TEXT,
    noticed_on       TEXT,
    duplicate_of     BLOB REFERENCES reports (id),
    similarity       BIGINT,
    registered_by    TEXT,
    result_text      TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX reports_reg_no ON reports (reg_no);
CREATE UNIQUE INDEX reports_receipt ON reports (receipt_hash);
CREATE INDEX reports_intake ON reports (intake_unit_id, received_on);
CREATE INDEX reports_handling ON reports (handling_unit_id, status);

-- MinHash signatures and their LSH band keys (qingfeng-text fingerprint).
CREATE TABLE report_signatures (
    report_id BLOB PRIMARY KEY NOT NULL REFERENCES reports (id),
    signature BLOB NOT NULL
);
CREATE TABLE report_bands (
    band_key  BIGINT NOT NULL,
    report_id BLOB NOT NULL REFERENCES reports (id),
    PRIMARY KEY (band_key, report_id)
) WITHOUT ROWID;

CREATE TABLE report_files (
    id           BLOB PRIMARY KEY NOT NULL,
    report_id    BLOB NOT NULL REFERENCES reports (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL REFERENCES evidence_files (sha256),
    sm3          TEXT NOT NULL,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX report_files_report ON report_files (report_id);

-- Two-way messages between the reporter (by receipt code) and the office.
CREATE TABLE report_messages (
    id        BLOB PRIMARY KEY NOT NULL,
    report_id BLOB NOT NULL REFERENCES reports (id),
    from_side TEXT NOT NULL,
    body      TEXT NOT NULL,
    by_label  TEXT,
    at        BIGINT NOT NULL
);
CREATE INDEX report_messages_report ON report_messages (report_id, at);

-- Releases of a sealed identity: asked with a reason, approved or refused
-- by a second person of the office, read once.
CREATE TABLE identity_releases (
    id           BLOB PRIMARY KEY NOT NULL,
    report_id    BLOB NOT NULL REFERENCES reports (id),
    requested_by BLOB NOT NULL REFERENCES accounts (id),
    reason       TEXT NOT NULL,
    status       TEXT NOT NULL,
    decided_by   BLOB REFERENCES accounts (id),
    decision     TEXT,
    requested_at BIGINT NOT NULL,
    decided_at   BIGINT,
    read_at      BIGINT
);
CREATE INDEX identity_releases_report ON identity_releases (report_id, requested_at);
