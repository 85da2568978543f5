-- 问题线索: leads registered from reports (受理) or other sources, their
-- disposal steps, the outcomes for each person (四种形态, sanctions with
-- their effect periods), 一案双查 inquiries, referrals (移送) with the
-- receiving side's answer, clearances (澄清正名) and the periodic
-- reconciliations of the ledger (定期汇总核对). Civil dates are TEXT
-- 'YYYY-MM-DD'; instants are TIMESTAMPTZ.

CREATE TABLE leads (
    id               UUID PRIMARY KEY NOT NULL,
    -- 线索编号 (XS-2026-0001), per handling unit and year.
    lead_no          TEXT NOT NULL,
    source           TEXT NOT NULL,
    source_ref       TEXT,
    report_id        UUID REFERENCES reports (id),
    -- The 纪检监察 unit handling the lead (its scope), and the unit where the
    -- matter happened (for 一案双查).
    unit_id          UUID NOT NULL REFERENCES org_units (id),
    subject_unit_id  UUID NOT NULL REFERENCES org_units (id),
    category         TEXT NOT NULL,
    person_level     TEXT NOT NULL,
    subject_name     TEXT NOT NULL,
    summary          TEXT NOT NULL,
    status           TEXT NOT NULL,
    disposal         TEXT,
    proposed_by      UUID REFERENCES accounts (id),
    proposal_note    TEXT,
    finding          TEXT,
    received_on      TEXT NOT NULL,
    -- When the clock of the current stage started, and its last day.
    step_since       TEXT NOT NULL,
    step_due         TEXT,
    concluded_on     TEXT,
    -- 反馈: due 15 working days after 办结 for a report's lead; the text the
    -- reporter reads, and when it was released.
    feedback_due     TEXT,
    result_text      TEXT,
    fed_back_on      TEXT,
    -- 错告/诬告陷害, with the link to a known author (JSON) and the grounds.
    false_accusation TEXT,
    false_author     TEXT,
    false_reason     TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX leads_no ON leads (lead_no);
CREATE UNIQUE INDEX leads_report ON leads (report_id);
CREATE INDEX leads_unit ON leads (unit_id, status);

-- What happened to a lead, step by step (also a referral's trail).
CREATE TABLE lead_steps (
    id          UUID PRIMARY KEY NOT NULL,
    lead_id     UUID NOT NULL REFERENCES leads (id),
    referral_id UUID,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    disposal    TEXT,
    finding     TEXT,
    note        TEXT,
    by_label    TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX lead_steps_lead ON lead_steps (lead_id, at);

-- The people a lead concerns, and what was decided for each.
CREATE TABLE lead_people (
    id               UUID PRIMARY KEY NOT NULL,
    lead_id          UUID NOT NULL REFERENCES leads (id),
    person_id        UUID REFERENCES people (id),
    name             TEXT NOT NULL,
    post             TEXT,
    level            TEXT NOT NULL,
    party_member     BOOLEAN NOT NULL,
    holds_party_post BOOLEAN NOT NULL,
    public_official  BOOLEAN NOT NULL,
    -- PersonOutcome as JSON, the form it amounts to, the decision date and
    -- the last days of the sanctions' effect periods.
    outcome          TEXT,
    form             TEXT,
    decided_on       TEXT,
    party_effect_end TEXT,
    admin_effect_end TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX lead_people_lead ON lead_people (lead_id);

-- 一案双查: opened when a lead's outcome reaches the configured form.
CREATE TABLE accountability_inquiries (
    id                UUID PRIMARY KEY NOT NULL,
    lead_id           UUID NOT NULL REFERENCES leads (id),
    unit_id           UUID NOT NULL REFERENCES org_units (id),
    triggered_by      TEXT NOT NULL,
    targets           TEXT NOT NULL,
    oversight_unknown BOOLEAN NOT NULL,
    status            TEXT NOT NULL,
    conclusion        TEXT,
    opened_on         TEXT NOT NULL,
    concluded_on      TEXT,
    concluded_by      TEXT,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX accountability_inquiries_lead ON accountability_inquiries (lead_id);

-- 移送: the receiving unit sees only the referral (not the lead or report).
CREATE TABLE referrals (
    id              UUID PRIMARY KEY NOT NULL,
    lead_id         UUID NOT NULL REFERENCES leads (id),
    from_unit_id    UUID NOT NULL REFERENCES org_units (id),
    to_unit_id      UUID NOT NULL REFERENCES org_units (id),
    target          TEXT NOT NULL,
    -- What is referred, as the sender wrote it for the receiver: the
    -- receiver sees this, never the lead's own summary or the report.
    matter          TEXT NOT NULL,
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL,
    sent_on         TEXT NOT NULL,
    response_due    TEXT,
    responded_on    TEXT,
    response_reason TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX referrals_to ON referrals (to_unit_id, status);
CREATE INDEX referrals_lead ON referrals (lead_id);

-- 澄清正名: proposed by a handler, approved by someone else, in a scope.
CREATE TABLE clearances (
    id          UUID PRIMARY KEY NOT NULL,
    lead_id     UUID NOT NULL REFERENCES leads (id),
    person_name TEXT NOT NULL,
    scope       TEXT NOT NULL,
    consent     BOOLEAN NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    proposed_by UUID NOT NULL REFERENCES accounts (id),
    decided_by  UUID REFERENCES accounts (id),
    decided_on  TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX clearances_lead ON clearances (lead_id);

-- 定期汇总核对: the ledger's figures for a period, confirmed by a person.
CREATE TABLE lead_reviews (
    id       UUID PRIMARY KEY NOT NULL,
    unit_id  UUID NOT NULL REFERENCES org_units (id),
    period   TEXT NOT NULL,
    figures  TEXT NOT NULL,
    note     TEXT,
    by_label TEXT NOT NULL,
    at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX lead_reviews_period ON lead_reviews (unit_id, period);
