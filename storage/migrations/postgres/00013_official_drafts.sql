-- Officials in Telegram (issue 13): an official's plain message is never
-- dropped. It waits here, as a draft, until the official chooses the
-- opinion it answers (a button naming the draft's id, so a used or
-- discarded draft's buttons do nothing); a press of «Trả lời người dân»
-- waits here as a row without text until the official types the answer.
-- Drafts are deleted when used or discarded, and after two days.

-- +goose Up
CREATE TABLE official_drafts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    official_id  bigint      NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    opinion_code text        NOT NULL DEFAULT '',
    text         text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL
);
CREATE INDEX official_drafts_official ON official_drafts (official_id, id);

-- +goose Down
DROP TABLE official_drafts;
