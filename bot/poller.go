package bot

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// allowedUpdates are the update kinds the bot acts on; Telegram filters the
// rest out before they cost a request.
var allowedUpdates = []string{"message", "callback_query"}

// Poller receives updates by long polling. Unlike the library's
// GetUpdatesChan, it confirms a batch to Telegram (by asking for the next
// offset) only after every update in it was handled, so a crash loses
// nothing; and it honours retry_after and backs off on errors.
type Poller struct {
	client  *Client
	recv    *receiver
	log     *slog.Logger
	timeout time.Duration // long-poll timeout
	limit   int           // updates per batch
	workers int           // chats handled at once within a batch
	retry   Retry         // backoff after errors
	stats   *counters     // shared with the sender
	// ready, when set, hears whether the webhook's removal failed (its
	// error) or succeeded (nil: polling has begun).
	ready func(err error)
}

// Run polls until ctx ends. It first deletes any webhook, since Telegram
// refuses getUpdates while one is set.
func (p *Poller) Run(ctx context.Context) error {
	for failures := 1; ; failures++ {
		err := p.client.request(ctx, tgbotapi.DeleteWebhookConfig{}, "deleteWebhook")
		if p.ready != nil && ctx.Err() == nil {
			p.ready(err)
		}
		if err == nil {
			break
		}
		p.log.ErrorContext(ctx, "delete webhook before polling", "error", err)
		if Sleep(ctx, p.wait(err, failures)) != nil {
			return nil
		}
	}
	// A stop lets the batch in hand finish, as the webhook's handlers do,
	// for at most stopGrace: its effects are committed rather than done
	// again by the next run.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	defer context.AfterFunc(ctx, func() { time.AfterFunc(stopGrace, stopWork) })()
	offset, failures := 0, 0
	for ctx.Err() == nil {
		updates, skipped, err := p.client.getUpdates(ctx, tgbotapi.UpdateConfig{
			Offset:         offset,
			Limit:          p.limit,
			Timeout:        int(p.timeout / time.Second),
			AllowedUpdates: allowedUpdates,
		})
		if err == nil {
			offset, err = p.processBatch(work, offset, updates, skipped)
		}
		if err == nil {
			failures = 0
			continue
		}
		if ctx.Err() != nil {
			break
		}
		failures++
		wait := p.wait(err, failures)
		p.log.WarnContext(ctx, "polling", "error", err, "retry_in", wait)
		_ = Sleep(ctx, wait)
	}
	return nil
}

// stopGrace bounds how long a stopping poller finishes its batch.
const stopGrace = 10 * time.Second

// wait is how long to pause after the n-th failure in a row.
func (p *Poller) wait(err error, n int) time.Duration {
	if kind, retryAfter := kindOf(err); kind == KindRetryAfter {
		p.stats.rateLimited.Add(1)
		return retryAfter
	}
	return p.retry.backoff(n)
}

// processBatch handles one batch: the chats run concurrently (at most
// p.workers at once), each chat's updates in order. A chat stops at its
// first failure so its later updates never overtake it. Skipped updates
// (unreadable) count as handled. The result is the next offset: past the
// whole batch, or the first failed update so it and everything after it
// come again (the Handler drops duplicates).
func (p *Poller) processBatch(ctx context.Context, offset int, updates []tgbotapi.Update, skipped []int) (int, error) {
	for _, id := range skipped {
		p.log.WarnContext(ctx, "malformed update ignored", "update_id", id)
		offset = max(offset, id+1)
	}
	var chats [][]tgbotapi.Update
	index := make(map[string]int)
	for _, u := range updates {
		key := chatKey(u)
		i, ok := index[key]
		if !ok {
			i = len(chats)
			index[key] = i
			chats = append(chats, nil)
		}
		chats[i] = append(chats[i], u)
	}

	var (
		mu          sync.Mutex
		firstFailed = -1
		errs        []error
		wg          sync.WaitGroup
		slots       = make(chan struct{}, p.workers)
	)
	for _, chat := range chats {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			for _, u := range chat {
				if err := p.recv.process(ctx, u); err != nil {
					mu.Lock()
					if firstFailed < 0 || u.UpdateID < firstFailed {
						firstFailed = u.UpdateID
					}
					errs = append(errs, err)
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if firstFailed >= 0 {
		return firstFailed, errors.Join(errs...)
	}
	for _, u := range updates {
		offset = max(offset, u.UpdateID+1)
	}
	return offset, nil
}

// chatKey groups updates that must be handled in order: those of one chat.
// Updates without a chat are independent of each other.
func chatKey(u tgbotapi.Update) string {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return "chat:" + strconv.FormatInt(u.Message.Chat.ID, 10)
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return "chat:" + strconv.FormatInt(u.CallbackQuery.Message.Chat.ID, 10)
	default:
		return "update:" + strconv.Itoa(u.UpdateID)
	}
}
