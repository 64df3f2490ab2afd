-- API keys for Open311 (issue 5): other channels (a web form, a hotline
-- operator's tool) file opinions with a key an admin issued. Only the key's
-- SHA-256 is kept, so a copy of the database does not hand out working keys;
-- hint (the key's last characters) lets an admin tell keys apart.

-- +goose Up
CREATE TABLE api_keys (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    hash       text        NOT NULL UNIQUE,
    hint       text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- +goose Down
DROP TABLE api_keys;
