package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"langnghe"
	"langnghe/bot/telegramtest"
	"langnghe/storage"
)

// firstBulkChat is the first chat -bulk writes to, far from the residents'
// (firstUserID and up).
const firstBulkChat = 9_000_000_000

// queueBulk queues n messages in the outbox's bulk lane, one to each of n
// chats nobody else writes to, as a campaign's answers to n askers are
// queued: the service's sender claims them as it would those.
func queueBulk(ctx context.Context, dbURL string, n int) error {
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("open the database to queue bulk messages: %w", err)
	}
	defer db.Close()
	msgs := make([]*langnghe.Outgoing, n)
	for i := range msgs {
		msgs[i] = &langnghe.Outgoing{Channel: langnghe.ChannelTelegram, ChatID: strconv.Itoa(firstBulkChat + i),
			Lane: langnghe.LaneBulk, Message: langnghe.Message{Text: "Chúng tôi xin gửi ông/bà câu trả lời cho câu hỏi ông/bà đã gửi."}}
	}
	err = db.InTx(ctx, func(tx *storage.Tx) error {
		for page := range slices.Chunk(msgs, 500) {
			if err := tx.SaveTurn(ctx, nil, page); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue %d bulk messages: %w", n, err)
	}
	return nil
}

// bulkSent counts the messages the fake took in the n bulk chats.
func bulkSent(fake *telegramtest.Server, n int) int {
	sent := 0
	for i := range n {
		if len(fake.Sent(int64(firstBulkChat+i))) > 0 {
			sent++
		}
	}
	return sent
}
