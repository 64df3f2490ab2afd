package langnghe

import "time"

// The outbox: every message to a resident or an official is queued in the
// transaction that decided it and delivered by a channel's sender.

// Outgoing is a message waiting in the outbox for its chat. A chat's
// messages of one lane are delivered in id order, one at a time; its
// normal-lane messages go before its bulk ones (see Lane).
type Outgoing struct {
	ID         int64
	Channel    string
	ChatID     string
	Message    Message
	ResidentID *int64
	// Lane is LaneNormal unless the message is one of many sent at once.
	Lane     Lane
	Attempts int
	// NotBefore is the earliest time to (re)try the delivery.
	NotBefore time.Time
	CreatedAt time.Time
	LastError string
}

// Lane is how urgent a queued message is. Conversation replies and
// officials' messages are LaneNormal; a send to many residents at once (a
// campaign's answers, announcements) is LaneBulk, so that a backlog of
// thousands never holds a conversation back:
//
//   - Claims take normal messages first, and bulk ones only within their
//     own bound (the sender keeps few of them at hand).
//   - A bulk message is not handed over as it commits (Handoff): claims
//     bring them in, a batch at a time.
//   - A bulk message waits while its chat has a normal message queued; a
//     normal message does not wait for its chat's bulk ones. So a resident
//     who writes while a bulk message to them is queued gets the reply
//     first: the bulk message follows unless it was already being sent
//     (then the reply waits for that one send). Within a lane, a chat's
//     messages keep id order.
//   - The sender gives bulk sends only the global rate that normal ones
//     leave: a reply waits at most for a send that already took its turn.
//   - A chat that blocked the bot (Telegram's 403) gets no more bulk
//     messages: those queued are dropped as failed, with the reason.
//
// Once per recipient: a bulk send is queued once (campaigns record each
// recipient in the transaction that queues the message, under a unique
// key, so a retry, a restart or another replica queues nothing twice), and
// delivered like every message: at least once. A process killed between
// Telegram's answer and the commit of MarkSent leaves the message leased;
// another sender claims it when the lease ends and sends it again. Telegram
// has no idempotency key to close that gap.
type Lane int

const (
	LaneNormal Lane = 0
	LaneBulk   Lane = 1
)

// OutboxTotals are the outbox's counters since the database was created.
type OutboxTotals struct {
	Sent   int64
	Failed int64
	// LastSentAt is the latest delivery; zero before the first.
	LastSentAt time.Time
}

// Handoff gives this process's sender the messages the process queues for
// Channel as soon as their transaction commits, so that they need no claim.
// A message is leased to Owner for Lease when it is inserted, if nothing
// else is queued for its chat at that moment: it is then its chat's head,
// and the messages the same statement queues for the chat follow it. A
// message queued behind another one is not leased and waits for a claim,
// so a chat's order never depends on which sender holds what.
//
// Without a handoff every message is found by ClaimOutgoing, which scans the
// queue; under load that scan was the largest single cost in PostgreSQL.
type Handoff struct {
	Channel string
	Owner   string
	Lease   time.Duration
	// Take receives each committed transaction's messages leased to
	// Owner, in id order. It runs on the committing goroutine and must not
	// block.
	Take func(msgs []Outgoing)
	// Queued is called after a commit that queued messages for Channel
	// that were not leased (they wait behind their chat's head for a
	// claim).
	Queued func()
}

// HeldOwner names a lease owner whose leases end with its lock, for a
// sender that holds its lock (the storage's DB.HoldLeases) before it takes
// any lease. Other owners (a replica of an older version during a rolling
// upgrade) keep their timed leases, since nobody would hold their lock.
func HeldOwner(name string) string { return HeldOwnerPrefix + name }

// HeldOwnerPrefix starts every name HeldOwner makes.
const HeldOwnerPrefix = "held:"
