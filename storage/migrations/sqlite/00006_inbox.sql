-- The console's inbox (issue 5): search in opinions' text with or without
-- diacritics, and the indexes its filters and orders read.
--
-- text_folded is the text as vntext.Fold writes it (lower case, no
-- diacritics, đ → d). CreateOpinion fills it; the rows stored before this
-- migration are folded by Go right after it (storage.Migrate), since SQL
-- cannot fold exactly as Go does: until then they are NULL, and
-- opinions_unfolded finds them. SQLite has no trigram index: search is a
-- LIKE over the folded texts.

-- +goose Up
ALTER TABLE opinions ADD COLUMN text_folded text;
CREATE INDEX opinions_unfolded ON opinions (id) WHERE text_folded IS NULL;

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
DROP INDEX opinions_unfolded;
ALTER TABLE opinions DROP COLUMN text_folded;
