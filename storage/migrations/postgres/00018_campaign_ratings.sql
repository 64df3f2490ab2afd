-- Campaigns, continued (issue 16): an asker's rating of the leaders'
-- answer to their group (satisfied / not_satisfied, '' until rated), on
-- the row that records the answer was sent to them, so only a resident
-- who was sent an answer can rate it, once; and the opinion a dialogue
-- question was turned into, when it was really a concern for a unit.

-- +goose Up
ALTER TABLE campaign_deliveries ADD COLUMN rating text NOT NULL DEFAULT '';
ALTER TABLE campaign_deliveries ADD COLUMN rated_at timestamptz;
ALTER TABLE campaign_responses ADD COLUMN opinion_code text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE campaign_responses DROP COLUMN opinion_code;
ALTER TABLE campaign_deliveries DROP COLUMN rated_at;
ALTER TABLE campaign_deliveries DROP COLUMN rating;
