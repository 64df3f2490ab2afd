-- Assignment (issue 13): an opinion may be given to a named official of
-- the unit it is routed to, who then finds it under "mine". The follow-up
-- core checks that the assignee belongs to the opinion's unit; storage
-- clears the assignment when the opinion leaves that unit, or the official
-- leaves it or is revoked, and the database when the official is deleted.

-- +goose Up
ALTER TABLE opinions ADD COLUMN assignee_id INTEGER REFERENCES officials(id) ON DELETE SET NULL;
-- "Mine": an official's assigned opinions, by due date.
CREATE INDEX opinions_assignee ON opinions (assignee_id, due_at) WHERE assignee_id IS NOT NULL;

-- +goose Down
DROP INDEX opinions_assignee;
ALTER TABLE opinions DROP COLUMN assignee_id;
