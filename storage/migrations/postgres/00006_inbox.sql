-- The console's inbox (issue 5): search in opinions' text with or without
-- diacritics, and the indexes its filters and orders read at a million
-- opinions.
--
-- text_folded is the text as vntext.Fold writes it (lower case, no
-- diacritics, đ → d). CreateOpinion fills it; the rows stored before this
-- migration are folded by Go right after it (storage.Migrate), since SQL
-- cannot fold exactly as Go does: until then they are NULL, and
-- opinions_unfolded finds them. The trigram index serves LIKE '%...%' on
-- it (pg_trgm is a trusted extension: the database's owner may create it).

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE opinions ADD COLUMN text_folded text;
CREATE INDEX opinions_unfolded ON opinions (id) WHERE text_folded IS NULL;
CREATE INDEX opinions_text_folded ON opinions USING gin (text_folded gin_trgm_ops);

-- Each filter with the inbox's default order (newest first), and the order
-- by due date. Status has opinions_status_created (00001), unit
-- opinions_unit_created and the open statuses the partial indexes (00003).
CREATE INDEX opinions_category_created ON opinions (category, created_at);
CREATE INDEX opinions_area_created ON opinions (area_code, created_at);
CREATE INDEX opinions_track_created ON opinions (legal_track, created_at);
CREATE INDEX opinions_due ON opinions (due_at, id);

-- +goose Down
DROP INDEX opinions_due;
DROP INDEX opinions_track_created;
DROP INDEX opinions_area_created;
DROP INDEX opinions_category_created;
DROP INDEX opinions_text_folded;
DROP INDEX opinions_unfolded;
ALTER TABLE opinions DROP COLUMN text_folded;
