package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"langnghe"
)

// The console's sign-in: an official gets a one-time sign-in token (through
// the bot or the CLI), trades it for a console session, and every request
// presents the session. Tokens and session ids are shown to their holder
// only; the database keeps their SHA-256, so a copy of it signs nobody in.

// secretHash is what is stored for a token or a session id.
func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// newSecret returns 32 random bytes, hex-encoded.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// CreateSignInToken issues a one-time sign-in token for the active official
// officialID, valid until expiresAt, and returns it; it is not kept anywhere.
// A revoked or unknown official is EINVALID.
func (tx *Tx) CreateSignInToken(ctx context.Context, officialID int64, expiresAt time.Time) (string, error) {
	off, err := tx.Official(ctx, officialID)
	if err != nil {
		return "", err
	}
	if off.RevokedAt != nil {
		return "", langnghe.Errorf(langnghe.EINVALID, "official %d is revoked", officialID)
	}
	token, err := newSecret()
	if err != nil {
		return "", err
	}
	_, err = exec(ctx, tx.tx, `INSERT INTO signin_tokens (hash, official_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		secretHash(token), officialID, now(), dbTime(expiresAt))
	if err != nil {
		return "", fmt.Errorf("create sign-in token for official %d: %w", officialID, err)
	}
	return token, nil
}

// UseSignInToken marks the unused, unexpired token used at at and returns
// its official's id. The mark is one UPDATE, so a token signs in once even
// when two requests race. Unknown, used and expired tokens are all
// EUNAUTHORIZED with one message (no hint which it was).
func (tx *Tx) UseSignInToken(ctx context.Context, token string, at time.Time) (int64, error) {
	var officialID int64
	err := get(ctx, tx.tx, &officialID, `UPDATE signin_tokens SET used_at = ?
		WHERE hash = ? AND used_at IS NULL AND expires_at > ? RETURNING official_id`,
		dbTime(at), secretHash(token), dbTime(at))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, langnghe.Errorf(langnghe.EUNAUTHORIZED, "this sign-in link is unknown, used or expired; ask the bot for a new one")
	} else if err != nil {
		return 0, fmt.Errorf("use sign-in token: %w", err)
	}
	return officialID, nil
}

// CreateConsoleSession starts a session for officialID until expiresAt and
// returns its id, which only the browser's cookie holds.
func (tx *Tx) CreateConsoleSession(ctx context.Context, officialID int64, expiresAt time.Time) (string, *langnghe.ConsoleSession, error) {
	id, err := newSecret()
	if err != nil {
		return "", nil, err
	}
	csrf, err := newSecret()
	if err != nil {
		return "", nil, err
	}
	s := &langnghe.ConsoleSession{OfficialID: officialID, CSRF: csrf, CreatedAt: now(), ExpiresAt: dbTime(expiresAt)}
	_, err = exec(ctx, tx.tx, `INSERT INTO console_sessions (hash, official_id, csrf, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`, secretHash(id), s.OfficialID, s.CSRF, s.CreatedAt, s.ExpiresAt)
	if err != nil {
		return "", nil, fmt.Errorf("create console session for official %d: %w", officialID, err)
	}
	return id, s, nil
}

// ConsoleSession loads the session with id that is still valid at at;
// EUNAUTHORIZED when it is unknown, ended or expired. The caller still
// checks the official, who may have been revoked since.
func (tx *Tx) ConsoleSession(ctx context.Context, id string, at time.Time) (*langnghe.ConsoleSession, error) {
	var s langnghe.ConsoleSession
	err := get(ctx, tx.tx, &s, `SELECT official_id, csrf, created_at, expires_at FROM console_sessions
		WHERE hash = ? AND expires_at > ?`, secretHash(id), dbTime(at))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, langnghe.Errorf(langnghe.EUNAUTHORIZED, "not signed in, or the session has ended")
	} else if err != nil {
		return nil, fmt.Errorf("load console session: %w", err)
	}
	return &s, nil
}

// EndConsoleSession deletes the session with id (signing out); ending an
// unknown session is harmless.
func (tx *Tx) EndConsoleSession(ctx context.Context, id string) error {
	if _, err := exec(ctx, tx.tx, `DELETE FROM console_sessions WHERE hash = ?`, secretHash(id)); err != nil {
		return fmt.Errorf("end console session: %w", err)
	}
	return nil
}

// PurgeConsole deletes the sign-in tokens and console sessions that expired
// before at, so neither table grows with every link ever sent. It returns
// how many of each went.
func (db *DB) PurgeConsole(ctx context.Context, at time.Time) (tokens, sessions int64, err error) {
	err = db.InTx(ctx, func(tx *Tx) error {
		res, err := exec(ctx, tx.tx, `DELETE FROM signin_tokens WHERE expires_at < ?`, dbTime(at))
		if err != nil {
			return fmt.Errorf("purge sign-in tokens: %w", err)
		}
		tokens, _ = res.RowsAffected()
		res, err = exec(ctx, tx.tx, `DELETE FROM console_sessions WHERE expires_at < ?`, dbTime(at))
		if err != nil {
			return fmt.Errorf("purge console sessions: %w", err)
		}
		sessions, _ = res.RowsAffected()
		return nil
	})
	return tokens, sessions, err
}
