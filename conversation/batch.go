package conversation

import (
	"context"
	"langnghe"
	"sync"
	"time"

	"langnghe/storage"
)

// Inputs that arrive while the database is busy with others are applied
// together, several in one transaction (group commit): an input costs
// three statements of its own, and the BEGIN, the COMMIT and its flush to
// disk are shared. No goroutine runs in the background and nothing waits
// on a timer: an input that finds fewer than maxTransactions callers
// applying batches applies one itself, made of what waits by then, oldest
// first (its own input among them); it goes on with the next batch until
// its own input is applied, then hands its place to the first input still
// waiting, whose caller goes on in the same way. An input that takes an
// opinion code ends its transaction (the code counter's lock is held until
// the commit, and every other new opinion waits for it), and while the
// transaction waits for that lock its caller's place goes to the next
// input (aside).
//
// Every invariant of one input per transaction holds:
//   - exactly once: each input's update mark commits with its effects;
//   - one chat's inputs in order: each takes its chat's lock and holds it
//     until its transaction ends, and inputs enter batches in the order
//     they came (channels hand one chat's inputs over one at a time);
//   - one failed input rolls back none of the others: when a batch fails,
//     its inputs are applied again, each in a transaction of its own.
const (
	// maxTransactions is how many batches are applied at once. On the
	// 2-core reference machine 4 sustained 1.29× the updates of 8 (fewer
	// backends competing for the cores, bigger batches); 2 was no better.
	maxTransactions = 4
	maxBatch        = 16 // inputs in one transaction
	// txTimeout bounds a transaction, since it does not run under the
	// context of one caller (whose request may end while it applies the
	// others' inputs).
	txTimeout = 30 * time.Second
)

// batches is the queue of inputs waiting for a transaction.
type batches struct {
	limit int // callers applying batches at once

	mu      sync.Mutex
	waiting []*waitingInput
	running int // callers applying batches, or told to
	aside   int // callers whose transaction waits for the opinion code counter, not counted in running
}

// waitingInput is an input, where its result goes, and the signal that its
// caller is to apply batches.
type waitingInput struct {
	in       langnghe.Inbound
	done     chan error
	lead     chan struct{}
	promoted bool // lead is closed
}

// apply applies in, alone or with others, and returns Handle's result. It
// waits for the input's transaction even when ctx ends first: an error
// must mean that nothing was applied.
func (b *batches) apply(ctx context.Context, s *Service, in langnghe.Inbound) error {
	w := &waitingInput{in: in, done: make(chan error, 1), lead: make(chan struct{})}
	b.mu.Lock()
	b.waiting = append(b.waiting, w)
	lead := b.running < b.limit
	if lead {
		b.running++
	}
	b.mu.Unlock()
	if !lead {
		select {
		case err := <-w.done:
			select {
			case <-w.lead: // told to lead just before another caller took the input
				b.handOff()
			default:
			}
			return err
		case <-w.lead:
		}
	}
	ctx = context.WithoutCancel(ctx)
	for {
		select {
		case err := <-w.done:
			b.handOff()
			return err
		default:
		}
		batch := b.take()
		if batch == nil { // another caller has our input
			b.handOff()
			return <-w.done
		}
		s.applyBatch(ctx, batch, &aside{b: b})
	}
}

// take removes the next batch from the queue; nil when nothing waits.
func (b *batches) take() []*waitingInput {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := min(len(b.waiting), maxBatch)
	if n == 0 {
		return nil
	}
	batch := b.waiting[:n:n]
	b.waiting = b.waiting[n:]
	return batch
}

// handOff gives the caller's place to the first waiting input not told to
// lead yet, or frees it.
func (b *batches) handOff() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.release()
}

// release is handOff with b.mu held. More callers than the limit (one came
// back from stepping aside) free their places instead of handing them on.
func (b *batches) release() {
	if b.running <= b.limit {
		for _, w := range b.waiting {
			if !w.promoted {
				w.promoted = true
				close(w.lead)
				return
			}
		}
	}
	b.running--
}

// aside is a caller's standing among those applying batches: a
// transaction about to wait for the opinion code counter steps aside
// (its place goes to the next waiting input) and back when it ends.
// Transactions that take a code run one after another, each until its
// commit; were they counted among the few applied at once, inputs that
// take no code (most of them) would wait behind that queue too.
type aside struct {
	b  *batches
	on bool
}

// stepAside gives the caller's place on while its transaction waits, unless
// as many transactions as are applied at once wait already: each holds a
// connection, and the counter serves one at a time however many queue.
func (a *aside) stepAside() {
	if a == nil || a.on {
		return
	}
	a.b.mu.Lock()
	defer a.b.mu.Unlock()
	if a.b.aside >= a.b.limit {
		return
	}
	a.on = true
	a.b.aside++
	a.b.release()
}

// stepBack counts the caller again once its transaction has ended, above
// the limit if need be (release brings the count back down).
func (a *aside) stepBack() {
	if a == nil || !a.on {
		return
	}
	a.on = false
	a.b.mu.Lock()
	defer a.b.mu.Unlock()
	a.b.aside--
	a.b.running++
}

// applyBatch applies the inputs of batch, several in one transaction, and
// tells each its result. A transaction ends after an input that took an
// opinion code (applyTogether); the rest go on in the next. When a
// transaction of several fails (one input failed, or the transaction did),
// each input not yet applied is applied again alone, so that a bad input
// fails alone.
func (s *Service) applyBatch(ctx context.Context, batch []*waitingInput, a *aside) {
	for len(batch) > 1 {
		n, err := s.applyTogether(ctx, batch, a)
		if err != nil {
			s.log.Debug("a batch of inputs failed; applying each alone", "inputs", len(batch), "err", err)
			break
		}
		batch = batch[n:]
	}
	for _, w := range batch {
		var o outcome
		txCtx, cancel := context.WithTimeout(ctx, txTimeout)
		err := s.db.InTx(txCtx, func(tx *storage.Tx) error {
			var err error
			o, err = s.applyIn(txCtx, tx, w.in, a)
			return err
		})
		cancel()
		a.stepBack()
		w.done <- s.settled(w.in, o, err)
	}
}

// applyTogether applies the inputs of batch in one transaction, in order,
// up to the first that takes an opinion code, tells each its result and
// returns how many it applied. Taking a code locks the code counter's row
// until the transaction ends, and every other transaction that takes one
// waits for it (codes have no gaps, so the number is only free again at
// commit or rollback): the transaction commits right after that input
// instead of holding the lock across the turns of the rest of the batch.
func (s *Service) applyTogether(ctx context.Context, batch []*waitingInput, a *aside) (int, error) {
	outcomes := make([]outcome, 0, len(batch))
	txCtx, cancel := context.WithTimeout(ctx, txTimeout)
	defer cancel()
	err := s.db.InTx(txCtx, func(tx *storage.Tx) error {
		outcomes = outcomes[:0] // a retried transaction starts again
		for _, w := range batch {
			o, err := s.applyIn(txCtx, tx, w.in, a)
			if err != nil {
				return err
			}
			outcomes = append(outcomes, o)
			if tx.HoldsOpinionCounter() {
				break
			}
		}
		return nil
	})
	a.stepBack()
	if err != nil {
		return 0, err
	}
	for i, o := range outcomes {
		batch[i].done <- s.settled(batch[i].in, o, nil)
	}
	return len(outcomes), nil
}
