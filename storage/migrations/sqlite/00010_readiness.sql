-- /readyz commits a write here: a database that answers a ping may still
-- be unable to take a write (a full disk, a read-only file).

-- +goose Up
CREATE TABLE readiness (
    id        INTEGER   PRIMARY KEY,
    probed_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE readiness;
