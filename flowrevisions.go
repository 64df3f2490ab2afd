package langnghe

import (
	"context"
	"time"
)

// Flow revisions: every save makes a new immutable revision (1, 2, 3 ...
// per flow); one of them is published, and sessions stay on the revision
// they started with. Rolling back is publishing an earlier revision.

// FlowStore keeps flow revisions (the storage package's DB and Tx are both
// one, so a chat command can change flows inside the transaction of its
// update). It stores what it is given: the flow library (flowlib) validates
// a source before saving it, and only admins reach it, through the studio,
// the CLI or their chat commands.
type FlowStore interface {
	// SaveFlowRevision stores source as the flow's next revision and
	// returns its number. baseRevision is the revision the author edited
	// (0 for a new flow); when someone saved another revision meanwhile
	// the save is refused with ECONFLICT, so no edit is lost silently.
	// EINVALID without a flow id or a source. Saving does not publish.
	SaveFlowRevision(ctx context.Context, flowID string, source []byte, author string, baseRevision int) (int, error)
	// PublishFlow makes revision rev the one new sessions of the flow
	// start on; ENOTFOUND when there is no such revision.
	PublishFlow(ctx context.Context, flowID string, rev int, actor string) error
	// PublishedFlow returns the flow's published revision and its source;
	// ENOTFOUND when the flow does not exist or was never published.
	PublishedFlow(ctx context.Context, flowID string) (rev int, source []byte, err error)
	// FlowRevision returns the source of one revision; ENOTFOUND when
	// there is none.
	FlowRevision(ctx context.Context, flowID string, rev int) ([]byte, error)
	// Flows lists every flow, by id.
	Flows(ctx context.Context) ([]FlowInfo, error)
}

// FlowInfo summarises a flow for the console.
type FlowInfo struct {
	ID                string `db:"id"`
	LatestRevision    int    `db:"latest_revision"`
	PublishedRevision int    `db:"published_revision"` // 0: never published
	// UpdatedBy and UpdatedAt name the last save or publication.
	UpdatedBy string    `db:"updated_by"`
	UpdatedAt time.Time `db:"updated_at"`
}

// FlowRevisionInfo describes one revision, without its source.
type FlowRevisionInfo struct {
	Revision  int       `db:"revision"`
	Author    string    `db:"author"`
	CreatedAt time.Time `db:"created_at"`
	Size      int       `db:"size"`
	Published bool      `db:"published"`
}

// FlowAuditEntry is one save or publication of a flow: who changed what.
type FlowAuditEntry struct {
	Action   string    `db:"action"` // "save" or "publish"
	Revision int       `db:"revision"`
	Actor    string    `db:"actor"`
	At       time.Time `db:"at"`
}
