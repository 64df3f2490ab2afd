package langnghe

import "time"

// ResidentState is what applying a resident's input starts from.
type ResidentState struct {
	Resident *Resident      // nil: a person the channel never brought before
	Session  *StoredSession // nil: no conversation kept
	// Official reports whether an active official is bound to the account:
	// their inputs go to the officials' desk.
	Official bool
}

// StoredSession is a resident's conversation in progress. Data is the
// engine's JSON, opaque here; Revision pins the session to the flow
// revision it started on, so publishing a new revision never changes a
// conversation midway.
type StoredSession struct {
	ResidentID int64  `db:"resident_id"`
	FlowID     string `db:"flow_id"`
	Revision   int    `db:"revision"`
	Data       []byte `db:"data"`
	// TimeoutAt is when the session should be resumed with a timeout input;
	// nil when it waits for nothing.
	TimeoutAt *time.Time `db:"timeout_at"`
	UpdatedAt time.Time  `db:"updated_at"`
}
