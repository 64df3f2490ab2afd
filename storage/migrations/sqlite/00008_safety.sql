-- Safety and the law (issue 11): emergencies are recorded and alerted, units
-- carry what residents are told (hotline, citizen reception) and the duties
-- the units file designates them for (emergencies, denunciations), and an
-- official sees a denouncer's identity only with an explicit permission
-- (Law on Denunciations 2018, art. 9).

-- +goose Up
ALTER TABLE units ADD COLUMN details text NOT NULL DEFAULT '{}';
ALTER TABLE officials ADD COLUMN sees_denouncers INTEGER NOT NULL DEFAULT 0;

-- An emergency is an event, not an opinion: nothing queues behind it. It is
-- kept until someone of the designated unit acknowledges it (the console's
-- red strip), and counted in reports.
CREATE TABLE emergencies (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id     bigint      REFERENCES residents (id) ON DELETE SET NULL,
    channel         text        NOT NULL DEFAULT '',
    kind            text        NOT NULL,
    text            text        NOT NULL,
    area_code       text        NOT NULL DEFAULT '',
    unit_code       text        NOT NULL DEFAULT '',
    at              TIMESTAMP   NOT NULL,
    acknowledged_at TIMESTAMP,
    acknowledged_by bigint      REFERENCES officials (id) ON DELETE SET NULL
);
CREATE INDEX emergencies_at ON emergencies (at);
CREATE INDEX emergencies_unacknowledged ON emergencies (at) WHERE acknowledged_at IS NULL;

-- +goose Down
DROP TABLE emergencies;
ALTER TABLE officials DROP COLUMN sees_denouncers;
ALTER TABLE units DROP COLUMN details;
