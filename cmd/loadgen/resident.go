package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"langnghe/bot"
	"langnghe/bot/telegramtest"
)

// firstUserID is the Telegram id of the first simulated resident; every
// walk takes the next id, so each walk is a new resident in a new chat.
const firstUserID = 700_000_000

// maxReadAhead bounds how many messages a resident reads for one input
// before deciding the bot answered something else.
const maxReadAhead = 8

// driver plays residents against the fake Bot API: each walks the "send an
// opinion" flow, then starts again as a new resident.
type driver struct {
	fake      *telegramtest.Server
	pacer     *pacer        // nil: every resident goes as fast as the bot answers
	think     time.Duration // pause after the bot's answer, before the next input
	timeout   time.Duration // longest wait for one reply
	maxInputs int64         // 0: no limit
	stats     *stats
	// measureFrom ends the warm-up: inputs sent before it are not in the
	// figures (errors always are).
	measureFrom time.Time

	nextID atomic.Int64
	inputs atomic.Int64
}

// run keeps residents walking until issue ends (no new inputs after that;
// replies to inputs already sent are still awaited, each within the
// timeout) or the input budget is spent. abort stops everything at once.
func (d *driver) run(issue, abort context.Context, residents int) {
	var wg sync.WaitGroup
	for range residents {
		wg.Go(func() {
			// Residents arrive spread over one think time, not all at once.
			if bot.Sleep(issue, rand.N(d.think+time.Millisecond)) != nil {
				return
			}
			for issue.Err() == nil {
				if !d.walk(issue, abort, firstUserID+d.nextID.Add(1)) {
					return
				}
			}
		})
	}
	wg.Wait()
}

// pause is one think time: between think and 1.5 × think, so residents
// who started together drift apart as people do.
func (d *driver) pause() time.Duration {
	return d.think + rand.N(d.think/2+1)
}

// measuring reports whether what happens at t counts in the figures.
func (d *driver) measuring(t time.Time) bool { return !t.Before(d.measureFrom) }

// errStop ends a walk because the run is over.
var errStop = errors.New("run over")

// walk is one new resident sending one opinion. It reports whether the
// resident may start another walk.
func (d *driver) walk(issue, abort context.Context, id int64) bool {
	r := &resident{d: d, user: telegramtest.User{ID: id, FirstName: "Cư dân", LanguageCode: "vi"}}
	for i, st := range journeys[id%int64(len(journeys))] {
		if i > 0 && bot.Sleep(issue, d.pause()) != nil {
			return false
		}
		if err := r.do(issue, abort, st); err != nil {
			if !errors.Is(err, errStop) {
				d.stats.fail(err)
			}
			return !errors.Is(err, errStop) && issue.Err() == nil
		}
	}
	if d.measuring(time.Now()) {
		d.stats.walks.Add(1)
	}
	return true
}

// resident is one simulated person and what they read so far.
type resident struct {
	d    *driver
	user telegramtest.User
	read []telegramtest.Message // every message of the chat read so far
}

// do takes one step: waits for its slot, acts, and reads the bot's answer,
// recording the time to its first message and to its last (the one with
// the question that ends the turn), and how many messages the turn was.
func (r *resident) do(issue, abort context.Context, st step) error {
	if !r.d.admit(issue) {
		return errStop
	}
	sentAt := time.Now()
	measured := r.d.measuring(sentAt)
	if measured {
		r.d.stats.sent.Add(1)
	}
	switch st.action {
	case write:
		r.d.fake.SendText(r.user, st.arg)
	case contact:
		r.d.fake.SendContact(r.user, st.arg)
	case press:
		msgID, data, ok := findButton(r.read, st.arg)
		if !ok {
			return fmt.Errorf("%w: no button %q on the last keyboard", errUnexpected, st.arg)
		}
		r.d.fake.PressButton(r.user, msgID, data)
	}
	for n := 0; n < maxReadAhead; n++ {
		m, err := r.next(abort)
		if err != nil {
			return err
		}
		if n == 0 && measured {
			r.d.stats.reply(m.At.Sub(sentAt))
		}
		if contains(m.Text, st.expect) {
			if measured {
				r.d.stats.turn(m.At.Sub(sentAt), n+1)
			}
			return nil
		}
	}
	return fmt.Errorf("%w: no message with %q after %q", errUnexpected, st.expect, st.arg)
}

// errUnexpected marks a bot answer the walk did not expect.
var errUnexpected = errors.New("unexpected answer")

// errTimeout marks a reply that did not come within the timeout.
var errTimeout = errors.New("no reply in time")

// next waits for the chat's next message.
func (r *resident) next(abort context.Context) (telegramtest.Message, error) {
	ctx, cancel := context.WithTimeout(abort, r.d.timeout)
	defer cancel()
	msgs, err := r.d.fake.WaitSent(ctx, r.user.ChatID(), len(r.read)+1)
	switch {
	case abort.Err() != nil:
		return telegramtest.Message{}, errStop
	case err != nil:
		return telegramtest.Message{}, fmt.Errorf("%w: %v", errTimeout, err)
	case len(msgs) <= len(r.read):
		// The fake retains a bounded history per chat; a walk is far below it.
		return telegramtest.Message{}, fmt.Errorf("%w: chat history beyond the fake's retention", errUnexpected)
	}
	r.read = msgs[:len(r.read)+1]
	return r.read[len(r.read)-1], nil
}

// admit takes the next input slot: within the budget, and at the target
// rate when there is one. It reports false when the run is over.
func (d *driver) admit(issue context.Context) bool {
	if d.pacer != nil && d.pacer.wait(issue) != nil || issue.Err() != nil {
		return false
	}
	n := d.inputs.Add(1)
	return d.maxInputs <= 0 || n <= d.maxInputs
}

// pacer hands out input slots at a fixed rate across all residents (open
// loop: the schedule does not wait for the bot). A slot nobody was ready
// for is skipped, not made up in a burst, so the offered rate never exceeds
// the target; the report shows the rate reached.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func newPacer(perSecond float64) *pacer {
	return &pacer{interval: time.Duration(float64(time.Second) / perSecond)}
}

func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := time.Now()
	slot := p.next
	if slot.Before(now) {
		slot = now
	}
	p.next = slot.Add(p.interval)
	p.mu.Unlock()
	return bot.Sleep(ctx, time.Until(slot))
}
