-- The officials' web console (issue 5): one-time sign-in tokens and console
-- sessions. Only SHA-256 hashes of tokens and session ids are kept, so a copy
-- of the database signs nobody in. Deleting an official removes both.

-- +goose Up
CREATE TABLE signin_tokens (
    hash        text        PRIMARY KEY,
    official_id bigint      NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    created_at  TIMESTAMP   NOT NULL,
    expires_at  TIMESTAMP   NOT NULL,
    used_at     TIMESTAMP
);

CREATE TABLE console_sessions (
    hash        text        PRIMARY KEY,
    official_id bigint      NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    csrf        text        NOT NULL,
    created_at  TIMESTAMP   NOT NULL,
    expires_at  TIMESTAMP   NOT NULL
);
CREATE INDEX console_sessions_official ON console_sessions (official_id);

-- +goose Down
DROP TABLE console_sessions;
DROP TABLE signin_tokens;
