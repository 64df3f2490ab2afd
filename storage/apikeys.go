package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"langnghe"
)

// apiKeyPrefix marks langnghe's keys, so a leaked one is recognisable
// (secret scanners look for such prefixes).
const apiKeyPrefix = "lnk_"

// hashAPIKey is what is stored for a secret.
func hashAPIKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateAPIKey issues a key named name and returns its secret, which is
// not kept anywhere: the caller shows it once.
func (db *DB) CreateAPIKey(ctx context.Context, name string) (secret string, key *langnghe.APIKey, err error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil, langnghe.Errorf(langnghe.EINVALID, "an API key needs a name (who uses it)")
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("generate API key: %w", err)
	}
	secret = apiKeyPrefix + hex.EncodeToString(b)
	key = &langnghe.APIKey{Name: name, Hint: secret[len(secret)-4:], CreatedAt: now()}
	err = get(ctx, db.w, &key.ID, `INSERT INTO api_keys (name, hash, hint, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		key.Name, hashAPIKey(secret), key.Hint, key.CreatedAt)
	if err != nil {
		return "", nil, fmt.Errorf("create API key %q: %w", name, err)
	}
	return secret, key, nil
}

// APIKeys lists every key, revoked ones included, oldest first.
func (db *DB) APIKeys(ctx context.Context) ([]langnghe.APIKey, error) {
	var out []langnghe.APIKey
	if err := selectAll(ctx, db.r, &out, `SELECT id, name, hint, created_at, revoked_at FROM api_keys ORDER BY id`); err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	return out, nil
}

// APIKeyBySecret returns the key whose secret is given, revoked or not (the
// caller checks Active); ENOTFOUND when no key has that secret.
func (db *DB) APIKeyBySecret(ctx context.Context, secret string) (*langnghe.APIKey, error) {
	var k langnghe.APIKey
	err := get(ctx, db.r, &k, `SELECT id, name, hint, created_at, revoked_at FROM api_keys WHERE hash = ?`, hashAPIKey(secret))
	if err != nil {
		return nil, notFound(err, "API key")
	}
	return &k, nil
}

// RevokeAPIKey ends a key's use at once; ENOTFOUND when there is no such
// active key.
func (db *DB) RevokeAPIKey(ctx context.Context, id int64) error {
	res, err := exec(ctx, db.w, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, now(), id)
	return oneRow(res, err, "active API key %d", id)
}
