-- The outbox's lanes (issue 16): a bulk send (a campaign's answers,
-- announcements) queues in a lower lane than conversation replies and
-- officials' messages (langnghe.Lane). A chat's head is found per lane
-- (outbox_chat_head), and claims walk the normal lane before the bulk one
-- (outbox_lane).

-- +goose Up
ALTER TABLE outbox ADD COLUMN lane smallint NOT NULL DEFAULT 0;
DROP INDEX outbox_chat_head;
CREATE INDEX outbox_chat_head ON outbox (channel, chat_id, lane, id);
CREATE INDEX outbox_lane ON outbox (channel, lane, id);

-- +goose Down
DROP INDEX outbox_lane;
DROP INDEX outbox_chat_head;
CREATE INDEX outbox_chat_head ON outbox (channel, chat_id, id);
ALTER TABLE outbox DROP COLUMN lane;
