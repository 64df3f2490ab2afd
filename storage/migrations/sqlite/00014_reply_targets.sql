-- Replies matched by message id (issue 15): a delivered message that
-- regards an opinion (an official's notification, the question why a
-- resident is not satisfied) is recorded under the channel's id for it, so
-- a reply to it finds the opinion by that id rather than by reading the
-- quoted text. Rows older than a year are pruned chat by chat as new ones
-- are recorded.

-- +goose Up
CREATE TABLE reply_targets (
    channel      text      NOT NULL,
    chat_id      text      NOT NULL,
    message_id   text      NOT NULL,
    opinion_code text      NOT NULL,
    reply        text      NOT NULL,
    sent_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (channel, chat_id, message_id)
);

-- +goose Down
DROP TABLE reply_targets;
