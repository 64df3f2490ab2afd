-- The first schema. Times are INTEGER unix nanoseconds (UTC) in columns declared
-- TIMESTAMP, so the driver (_time_integer_format=unix_nano, _inttotime) binds and
-- scans time.Time and comparisons are numeric.

-- +goose Up
CREATE TABLE processed_updates (
    source       text        NOT NULL,
    update_id    text        NOT NULL,
    processed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source, update_id)
);

CREATE TABLE residents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    channel     text        NOT NULL,
    external_id text        NOT NULL,
    chat_id     text        NOT NULL DEFAULT '',
    name        text        NOT NULL DEFAULT '',
    phone       text        NOT NULL DEFAULT '',
    language    text        NOT NULL DEFAULT '',
    blocked     INTEGER     NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (channel, external_id)
);
CREATE INDEX residents_chat ON residents (channel, chat_id);

CREATE TABLE sessions (
    resident_id bigint      PRIMARY KEY REFERENCES residents (id) ON DELETE CASCADE,
    flow_id     text        NOT NULL,
    revision    integer     NOT NULL,
    data        BLOB       NOT NULL,
    timeout_at  TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX sessions_timeout ON sessions (timeout_at) WHERE timeout_at IS NOT NULL;

CREATE TABLE opinion_counters (
    prefix text    NOT NULL,
    year   integer NOT NULL,
    last   bigint  NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE opinions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          text             NOT NULL UNIQUE,
    resident_id   bigint           REFERENCES residents (id) ON DELETE SET NULL,
    anonymous     INTEGER          NOT NULL DEFAULT 0,
    category      text             NOT NULL,
    legal_track   text             NOT NULL,
    area_code     text             NOT NULL DEFAULT '',
    text          text             NOT NULL,
    language      text             NOT NULL DEFAULT '',
    channel       text             NOT NULL DEFAULT '',
    status        text             NOT NULL,
    contact_name  text             NOT NULL DEFAULT '',
    contact_phone text             NOT NULL DEFAULT '',
    location      TEXT,
    attachments   TEXT            NOT NULL DEFAULT '[]',
    answers       TEXT            NOT NULL DEFAULT '{}',
    confidence    REAL NOT NULL DEFAULT 0,
    flow_id       text             NOT NULL DEFAULT '',
    flow_revision integer          NOT NULL DEFAULT 0,
    created_at    TIMESTAMP      NOT NULL,
    updated_at    TIMESTAMP      NOT NULL,
    due_at        TIMESTAMP
);
CREATE INDEX opinions_resident ON opinions (resident_id, id);
CREATE INDEX opinions_status_created ON opinions (status, created_at);
CREATE INDEX opinions_created ON opinions (created_at);

CREATE TABLE opinion_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id  bigint      NOT NULL REFERENCES opinions (id) ON DELETE CASCADE,
    status_from text        NOT NULL DEFAULT '',
    status_to   text        NOT NULL DEFAULT '',
    actor       text        NOT NULL,
    note        text        NOT NULL DEFAULT '',
    public      INTEGER     NOT NULL DEFAULT 0,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX opinion_events_opinion ON opinion_events (opinion_id, id);

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id  bigint      REFERENCES opinions (id) ON DELETE CASCADE,
    resident_id bigint      REFERENCES residents (id) ON DELETE SET NULL,
    name        text        NOT NULL DEFAULT '',
    mime        text        NOT NULL DEFAULT '',
    size        bigint      NOT NULL,
    sha256      text        NOT NULL,
    data        BLOB       NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX attachments_opinion ON attachments (opinion_id);
CREATE INDEX attachments_resident ON attachments (resident_id);

CREATE TABLE consents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id    bigint      NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    purpose        text        NOT NULL,
    notice_version text        NOT NULL,
    granted        INTEGER     NOT NULL,
    at             TIMESTAMP NOT NULL
);
CREATE INDEX consents_resident ON consents (resident_id, purpose, id);

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    channel     text        NOT NULL,
    chat_id     text        NOT NULL,
    message     TEXT       NOT NULL,
    resident_id bigint      REFERENCES residents (id) ON DELETE SET NULL,
    attempts    integer     NOT NULL DEFAULT 0,
    not_before  TIMESTAMP NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    last_error  text        NOT NULL DEFAULT '',
    lease_owner text        NOT NULL DEFAULT '',
    lease_until TIMESTAMP
);
-- The head of each chat (lowest id) is found through this index.
CREATE INDEX outbox_chat_head ON outbox (channel, chat_id, id);
CREATE INDEX outbox_resident ON outbox (resident_id);

CREATE TABLE outbox_dead (
    id          bigint      PRIMARY KEY,
    channel     text        NOT NULL,
    chat_id     text        NOT NULL,
    message     TEXT       NOT NULL,
    resident_id bigint      REFERENCES residents (id) ON DELETE SET NULL,
    attempts    integer     NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    last_error  text        NOT NULL,
    failed_at   TIMESTAMP NOT NULL
);
CREATE INDEX outbox_dead_resident ON outbox_dead (resident_id);

CREATE TABLE outbox_totals (
    channel text   PRIMARY KEY,
    sent    bigint NOT NULL DEFAULT 0,
    failed  bigint NOT NULL DEFAULT 0,
    last_sent_at TIMESTAMP
);

CREATE TABLE flows (
    id                 text        PRIMARY KEY,
    latest_revision    integer     NOT NULL DEFAULT 0,
    published_revision integer     NOT NULL DEFAULT 0,
    updated_by         text        NOT NULL DEFAULT '',
    updated_at         TIMESTAMP NOT NULL
);

CREATE TABLE flow_revisions (
    flow_id    text        NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
    revision   integer     NOT NULL,
    source     BLOB       NOT NULL,
    author     text        NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (flow_id, revision)
);

CREATE TABLE flow_audit (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    flow_id  text        NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
    action   text        NOT NULL,
    revision integer     NOT NULL,
    actor    text        NOT NULL DEFAULT '',
    at       TIMESTAMP NOT NULL
);
CREATE INDEX flow_audit_flow ON flow_audit (flow_id, id);

-- +goose Down
DROP TABLE flow_audit;
DROP TABLE flow_revisions;
DROP TABLE flows;
DROP TABLE outbox_totals;
DROP TABLE outbox_dead;
DROP TABLE outbox;
DROP TABLE consents;
DROP TABLE attachments;
DROP TABLE opinion_events;
DROP TABLE opinions;
DROP TABLE opinion_counters;
DROP TABLE sessions;
DROP TABLE residents;
DROP TABLE processed_updates;
