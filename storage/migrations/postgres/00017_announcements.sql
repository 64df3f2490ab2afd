-- Campaign announcements (issue 16). A consent to announcements is its
-- own purpose in consents, with the area it is for (area_code; empty for
-- other purposes). campaign_announcements holds one row per campaign and
-- resident the announcement was queued to, written in the transaction that
-- queues the message (outbox_id): its key refuses a second, across
-- restarts and replicas. A resident who withdraws has their queued
-- announcements dropped with their row.

-- +goose Up
ALTER TABLE consents ADD COLUMN area_code text NOT NULL DEFAULT '';

CREATE TABLE campaign_announcements (
    campaign_id bigint      NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    resident_id bigint      NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    outbox_id   bigint      NOT NULL,
    queued_at   timestamptz NOT NULL,
    PRIMARY KEY (campaign_id, resident_id)
);
CREATE INDEX campaign_announcements_resident ON campaign_announcements (resident_id);
CREATE INDEX campaign_announcements_outbox ON campaign_announcements (outbox_id);

-- +goose Down
DROP TABLE campaign_announcements;
ALTER TABLE consents DROP COLUMN area_code;
