-- Assignment (issue 13): an opinion may be given to a named official of
-- the unit it is routed to, who then finds it under "mine". The follow-up
-- core checks that the assignee belongs to the opinion's unit; storage
-- clears the assignment when the opinion leaves that unit, or the official
-- leaves it or is revoked, and the database when the official is deleted.

-- +goose Up
ALTER TABLE opinions ADD COLUMN assignee_id INTEGER REFERENCES officials(id) ON DELETE SET NULL;
-- "Mine": an official's assigned opinions, by due date.
CREATE INDEX opinions_assignee ON opinions (assignee_id, due_at) WHERE assignee_id IS NOT NULL;
-- The inbox's strip counts an official's open opinions on every page: from
-- the index alone (overdue, due soon, not taken, not satisfied, mine).
CREATE INDEX opinions_open_urgent ON opinions (unit_code, due_at, status, assignee_id, rating)
    WHERE status IN ('received', 'forwarded', 'in_progress', 'extended', 'reopened');

-- +goose Down
DROP INDEX opinions_open_urgent;
DROP INDEX opinions_assignee;
ALTER TABLE opinions DROP COLUMN assignee_id;
