-- Digests and reports (issue 4, part B).
--
-- digest_runs makes each official's periodic digest happen exactly once per
-- period: the row is inserted in the same transaction that enqueues the digest
-- message, so a second replica (or a restarted one) that races for the same
-- period hits the primary key and enqueues nothing.

-- +goose Up
CREATE TABLE digest_runs (
    official_id  bigint      NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    period_key   text        NOT NULL,
    scheduled_at timestamptz NOT NULL,
    -- The digest covers [since, until): until is the next digest's since.
    since        timestamptz NOT NULL,
    until        timestamptz NOT NULL,
    outbox_id    bigint      NOT NULL,
    PRIMARY KEY (official_id, period_key)
);
CREATE INDEX digest_runs_latest ON digest_runs (official_id, until);

-- Open opinions, for the digests' overdue, due-soon and oldest figures: the
-- predicate is the one the queries spell out, so the planner can use them.
CREATE INDEX opinions_open_due ON opinions (due_at)
    WHERE status IN ('received', 'forwarded', 'in_progress', 'extended', 'reopened');
CREATE INDEX opinions_open_unit_due ON opinions (unit_code, due_at)
    WHERE status IN ('received', 'forwarded', 'in_progress', 'extended', 'reopened');
CREATE INDEX opinions_open_created ON opinions (created_at, id)
    WHERE status IN ('received', 'forwarded', 'in_progress', 'extended', 'reopened');
CREATE INDEX opinions_open_unit_created ON opinions (unit_code, created_at, id)
    WHERE status IN ('received', 'forwarded', 'in_progress', 'extended', 'reopened');
-- New and answered opinions of a unit since the last digest.
CREATE INDEX opinions_unit_created ON opinions (unit_code, created_at);
CREATE INDEX opinions_answered ON opinions (answered_at) WHERE answered_at IS NOT NULL;
CREATE INDEX opinions_unit_answered ON opinions (unit_code, answered_at) WHERE answered_at IS NOT NULL;
-- Reports count the forwarded opinions of a period from the forwarding
-- events since the period began (an opinion is forwarded after it arrives).
CREATE INDEX opinion_events_forwarded ON opinion_events (at, opinion_id) WHERE status_to = 'forwarded';

-- +goose Down
DROP INDEX opinion_events_forwarded;
DROP INDEX opinions_unit_answered;
DROP INDEX opinions_answered;
DROP INDEX opinions_unit_created;
DROP INDEX opinions_open_unit_created;
DROP INDEX opinions_open_created;
DROP INDEX opinions_open_unit_due;
DROP INDEX opinions_open_due;
DROP TABLE digest_runs;
