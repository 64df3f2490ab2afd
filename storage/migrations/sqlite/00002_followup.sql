-- The officials' follow-up: units, routing rules, officials, invitations, and
-- the opinion columns the lifecycle needs. Times are INTEGER unix nanoseconds.

-- +goose Up
CREATE TABLE units (
    code       text        PRIMARY KEY,
    names      TEXT        NOT NULL DEFAULT '{}',
    created_at TIMESTAMP   NOT NULL
);

-- An empty category or area matches any; at most one rule per pair, so the
-- most specific match is always one rule.
CREATE TABLE routing_rules (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    category  text NOT NULL DEFAULT '',
    area_code text NOT NULL DEFAULT '',
    unit_code text NOT NULL REFERENCES units (code),
    UNIQUE (category, area_code)
);

CREATE TABLE officials (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           text        NOT NULL DEFAULT '',
    role           text        NOT NULL,
    channel        text        NOT NULL,
    external_id    text        NOT NULL,
    chat_id        text        NOT NULL DEFAULT '',
    notify         INTEGER     NOT NULL DEFAULT 1,
    digest         text        NOT NULL DEFAULT 'daily',
    digest_time    text        NOT NULL DEFAULT '07:30',
    digest_weekday integer     NOT NULL DEFAULT 1,
    language       text        NOT NULL DEFAULT 'vi',
    created_at     TIMESTAMP   NOT NULL,
    revoked_at     TIMESTAMP
);
-- One active official per account; a revoked one may be invited again.
CREATE UNIQUE INDEX officials_account ON officials (channel, external_id) WHERE revoked_at IS NULL;

CREATE TABLE official_units (
    official_id bigint NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    unit_code   text   NOT NULL REFERENCES units (code),
    PRIMARY KEY (official_id, unit_code)
);
CREATE INDEX official_units_unit ON official_units (unit_code);

-- Only the SHA-256 of an invitation code is kept: reading the table does not
-- let anyone join.
CREATE TABLE invitations (
    code_hash   text        PRIMARY KEY,
    role        text        NOT NULL,
    units       text        NOT NULL DEFAULT '',
    name        text        NOT NULL DEFAULT '',
    created_by  text        NOT NULL DEFAULT '',
    created_at  TIMESTAMP   NOT NULL,
    expires_at  TIMESTAMP   NOT NULL,
    used_at     TIMESTAMP,
    official_id bigint      REFERENCES officials (id) ON DELETE SET NULL
);

ALTER TABLE opinions ADD COLUMN unit_code text NOT NULL DEFAULT '';
ALTER TABLE opinions ADD COLUMN answered_at TIMESTAMP;
ALTER TABLE opinions ADD COLUMN rating text NOT NULL DEFAULT '';
ALTER TABLE opinions ADD COLUMN duplicate_of text NOT NULL DEFAULT '';
CREATE INDEX opinions_unit_status ON opinions (unit_code, status, id);

-- +goose Down
DROP INDEX opinions_unit_status;
ALTER TABLE opinions DROP COLUMN duplicate_of;
ALTER TABLE opinions DROP COLUMN rating;
ALTER TABLE opinions DROP COLUMN answered_at;
ALTER TABLE opinions DROP COLUMN unit_code;
DROP TABLE invitations;
DROP TABLE official_units;
DROP TABLE officials;
DROP TABLE routing_rules;
DROP TABLE units;
