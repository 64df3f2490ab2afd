-- /readyz commits a write here: a database that answers a ping may still
-- be unable to take a write (a full disk, a read-only standby).

-- +goose Up
CREATE TABLE readiness (
    id        integer     PRIMARY KEY,
    probed_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE readiness;
