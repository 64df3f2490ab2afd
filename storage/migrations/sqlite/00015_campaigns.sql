-- Campaigns (issue 16): dialogue conferences, consultations and feedback
-- points. A response links to its resident only through the residents row,
-- so deleting a resident's data (DeleteResidentData) unlinks it and
-- redacts its words; nothing here copies a name or a phone. Times are
-- INTEGER unix nanoseconds, as in 00001.

-- +goose Up
CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         text        NOT NULL,
    title        text        NOT NULL,
    theme        text        NOT NULL DEFAULT '',
    areas        TEXT        NOT NULL DEFAULT '[]',
    unit_code    text        NOT NULL DEFAULT '',
    opens        TIMESTAMP   NOT NULL,
    closes       TIMESTAMP,
    payload      text        NOT NULL UNIQUE,
    flow_id      text        NOT NULL DEFAULT '',
    conference   TEXT,
    draft        TEXT,
    questions    TEXT        NOT NULL DEFAULT '[]',
    created_by   bigint      NOT NULL DEFAULT 0,
    created_at   TIMESTAMP   NOT NULL,
    updated_at   TIMESTAMP   NOT NULL,
    -- grouped_upto is the last response id the question groups were
    -- computed with: groups are brought up to date when read.
    grouped_upto bigint      NOT NULL DEFAULT 0
);
CREATE INDEX campaigns_flow ON campaigns (flow_id);

-- A group of near-identical dialogue questions. fixed: the board merged,
-- split or renamed it, so regrouping keeps its questions together.
CREATE TABLE campaign_groups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id bigint      NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    title       text        NOT NULL,
    renamed     INTEGER     NOT NULL DEFAULT 0,
    fixed       INTEGER     NOT NULL DEFAULT 0,
    category    text        NOT NULL DEFAULT '',
    due_at      TIMESTAMP,
    created_at  TIMESTAMP   NOT NULL,
    updated_at  TIMESTAMP   NOT NULL
);
CREATE INDEX campaign_groups_campaign ON campaign_groups (campaign_id, id);

CREATE TABLE campaign_responses (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id   bigint      NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    resident_id   bigint      REFERENCES residents (id) ON DELETE SET NULL,
    area_code     text        NOT NULL DEFAULT '',
    language      text        NOT NULL DEFAULT '',
    answers       TEXT        NOT NULL DEFAULT '{}',
    category      text        NOT NULL DEFAULT '',
    group_id      bigint      REFERENCES campaign_groups (id) ON DELETE SET NULL,
    flow_id       text        NOT NULL DEFAULT '',
    flow_revision integer     NOT NULL DEFAULT 0,
    created_at    TIMESTAMP   NOT NULL
);
CREATE INDEX campaign_responses_campaign ON campaign_responses (campaign_id, id);
CREATE INDEX campaign_responses_resident ON campaign_responses (resident_id);
CREATE INDEX campaign_responses_group ON campaign_responses (group_id);

-- The leaders' answer to a group: answered_by is the leader as the
-- conference named them (public), recorded_by the official who typed it.
CREATE TABLE campaign_answers (
    group_id    bigint      PRIMARY KEY REFERENCES campaign_groups (id) ON DELETE CASCADE,
    text        text        NOT NULL,
    answered_by text        NOT NULL DEFAULT '',
    recorded_by bigint      NOT NULL DEFAULT 0,
    at          TIMESTAMP   NOT NULL
);

-- Each asker of an answered group is sent its answer once: the row is
-- written in the transaction that queues the message (outbox_id), and its
-- key refuses a second, across restarts and replicas.
CREATE TABLE campaign_deliveries (
    group_id    bigint      NOT NULL REFERENCES campaign_groups (id) ON DELETE CASCADE,
    resident_id bigint      NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    outbox_id   bigint      NOT NULL,
    queued_at   TIMESTAMP   NOT NULL,
    PRIMARY KEY (group_id, resident_id)
);
CREATE INDEX campaign_deliveries_resident ON campaign_deliveries (resident_id);

-- +goose Down
DROP TABLE campaign_deliveries;
DROP TABLE campaign_answers;
DROP TABLE campaign_responses;
DROP TABLE campaign_groups;
DROP TABLE campaigns;
