-- The place as the resident wrote it ("ấp Hòa Cường", "minh hoa"), kept
-- next to the area code it was resolved to, so officials see both.

-- +goose Up
ALTER TABLE opinions ADD COLUMN place_text TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE opinions DROP COLUMN place_text;
