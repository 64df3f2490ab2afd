-- An invitation may carry the explicit permission to see who made a
-- denunciation (Law on Denunciations 2018, art. 9): the official it makes
-- starts with officials.sees_denouncers set. Only an admin grants it.

-- +goose Up
ALTER TABLE invitations ADD COLUMN sees_denouncers boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE invitations DROP COLUMN sees_denouncers;
