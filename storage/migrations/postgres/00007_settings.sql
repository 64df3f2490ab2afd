-- The studio's settings (issue 6): the catalogue and the holidays, which ship
-- as embedded files, are kept here once an admin edits them, as immutable
-- revisions; settings.revision names the current one, which the service loads
-- at start. settings_audit records every change to settings and officials
-- made in the studio (flow changes are in flow_audit), each in the
-- transaction of its change.

-- +goose Up
CREATE TABLE settings (
    name       text        PRIMARY KEY,
    revision   integer     NOT NULL DEFAULT 0,
    updated_by text        NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL
);

CREATE TABLE setting_revisions (
    name       text        NOT NULL REFERENCES settings (name) ON DELETE CASCADE,
    revision   integer     NOT NULL,
    source     bytea       NOT NULL,
    author     text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    PRIMARY KEY (name, revision)
);

CREATE TABLE settings_audit (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind     text        NOT NULL,
    subject  text        NOT NULL DEFAULT '',
    action   text        NOT NULL,
    revision integer     NOT NULL DEFAULT 0,
    actor    text        NOT NULL DEFAULT '',
    detail   text        NOT NULL DEFAULT '',
    at       timestamptz NOT NULL
);
CREATE INDEX settings_audit_kind_at ON settings_audit (kind, at);
CREATE INDEX settings_audit_at ON settings_audit (at);
-- The audit page lists flow changes newest first beside the settings'.
CREATE INDEX flow_audit_at ON flow_audit (at);

-- +goose Down
DROP INDEX flow_audit_at;
DROP TABLE settings_audit;
DROP TABLE setting_revisions;
DROP TABLE settings;
