// Package keys keeps the Ed25519 keys that sign access tokens.
//
// Keys come from one of two places:
//
//   - the environment (TB_SIGNING_KEY: the base64 32-byte seed of the key
//     that signs; TB_VERIFY_KEYS: seeds of keys that are published but never
//     sign), for Kubernetes Secrets and for several replicas that must share
//     one key. Rotate there in three roll-outs: add the new seed to
//     TB_VERIFY_KEYS; swap it into TB_SIGNING_KEY and move the old one to
//     TB_VERIFY_KEYS; after the access token lifetime has passed, drop the
//     old one.
//   - a folder (TB_KEYS_DIR), where a key is generated on first start and
//     kept in a file readable by the owner only. Rotate calls make a new key;
//     the previous one stays published until every token it signed has
//     expired, and is then deleted. TB_KEY_ROTATE_AFTER makes the service
//     rotate on its own when the signing key gets older than that.
//
// A key's id (the JWT "kid") is its RFC 7638 JWK thumbprint, so the same
// seed has the same id on every replica.
package keys

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/talentbridge/platform/shared/auth"
)

// Key is one signing key.
type Key struct {
	ID      string
	Private ed25519.PrivateKey
	Created time.Time
	// Retired is when the key stopped signing; zero while it signs.
	Retired time.Time
}

// Public returns the key's public half.
func (k Key) Public() ed25519.PublicKey { return k.Private.Public().(ed25519.PublicKey) }

// Thumbprint is the RFC 7638 thumbprint of an Ed25519 public key, used as
// its kid.
func Thumbprint(pub ed25519.PublicKey) string {
	// Members in lexicographic order, no whitespace, as RFC 7638 §3 asks.
	canon := fmt.Sprintf(`{"crv":"Ed25519","kty":"OKP","x":"%s"}`, base64.RawURLEncoding.EncodeToString(pub))
	sum := sha256.Sum256([]byte(canon))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// FromSeed makes a key from a 32-byte seed.
func FromSeed(seed []byte, created time.Time) (Key, error) {
	if len(seed) != ed25519.SeedSize {
		return Key{}, fmt.Errorf("an Ed25519 seed has %d bytes, not %d", ed25519.SeedSize, len(seed))
	}
	priv := ed25519.NewKeyFromSeed(seed)
	return Key{ID: Thumbprint(priv.Public().(ed25519.PublicKey)), Private: priv, Created: created.UTC()}, nil
}

// ParseSeed decodes a base64 seed (standard or URL alphabet, padded or not).
func ParseSeed(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != ed25519.SeedSize {
				return nil, fmt.Errorf("the seed decodes to %d bytes; it must be %d", len(b), ed25519.SeedSize)
			}
			return b, nil
		}
	}
	return nil, errors.New("the seed is not base64")
}

// Options configures a Ring.
type Options struct {
	// SigningKey is the base64 seed of the signing key; when set, Dir is
	// not used.
	SigningKey string
	// VerifyKeys are base64 seeds of keys published besides the signing key.
	VerifyKeys []string
	// Dir holds generated keys when SigningKey is empty.
	Dir string
	// Lifetime is how long a retired key stays published: the access token
	// lifetime plus the verifiers' clock leeway.
	Lifetime time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Ring is the set of keys: one signs, every one not yet expired verifies.
// It implements auth.KeySet for the gateway's own routes.
type Ring struct {
	o       Options
	fromEnv bool
	mu      sync.RWMutex
	keys    []Key // oldest first; the last one not retired signs
}

var _ auth.KeySet = (*Ring)(nil)

// Open loads the keys from the environment options or from the folder,
// generating the first key there if there is none.
func Open(o Options) (*Ring, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Lifetime <= 0 {
		return nil, errors.New("keys: lifetime must be positive")
	}
	r := &Ring{o: o}
	if o.SigningKey != "" {
		return r, r.loadEnv()
	}
	if o.Dir == "" {
		return nil, errors.New("keys: set TB_SIGNING_KEY or TB_KEYS_DIR")
	}
	if err := r.withDirLock(func() error {
		if err := r.loadDir(); err != nil {
			return err
		}
		if len(r.keys) == 0 || !r.keys[len(r.keys)-1].Retired.IsZero() {
			return r.addKeyLocked()
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Ring) loadEnv() error {
	r.fromEnv = true
	now := r.o.Now()
	for i, s := range r.o.VerifyKeys {
		if strings.TrimSpace(s) == "" {
			continue
		}
		seed, err := ParseSeed(s)
		if err != nil {
			return fmt.Errorf("keys: TB_VERIFY_KEYS entry %d: %w", i+1, err)
		}
		k, _ := FromSeed(seed, now)
		k.Retired = now // published, never signs; not pruned in env mode
		r.keys = append(r.keys, k)
	}
	seed, err := ParseSeed(r.o.SigningKey)
	if err != nil {
		return fmt.Errorf("keys: TB_SIGNING_KEY: %w", err)
	}
	k, _ := FromSeed(seed, now)
	r.keys = append(r.keys, k)
	return nil
}

// keyFile is how a key is kept on disk.
type keyFile struct {
	Kid     string    `json:"kid"`
	Seed    string    `json:"seed"`
	Created time.Time `json:"created"`
	Retired time.Time `json:"retired,omitzero"`
}

const filePrefix, fileSuffix = "ed25519-", ".json"

func (r *Ring) loadDir() error {
	if err := os.MkdirAll(r.o.Dir, 0o700); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	entries, err := os.ReadDir(r.o.Dir)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	var keys []Key
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, filePrefix) || !strings.HasSuffix(name, fileSuffix) {
			continue
		}
		path := filepath.Join(r.o.Dir, name)
		info, err := e.Info()
		if err != nil {
			return fmt.Errorf("keys: %w", err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			return fmt.Errorf("keys: %s is readable by others (mode %v); make it 0600", path, info.Mode().Perm())
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("keys: %w", err)
		}
		var f keyFile
		if err := json.Unmarshal(raw, &f); err != nil {
			return fmt.Errorf("keys: %s: %w", path, err)
		}
		seed, err := ParseSeed(f.Seed)
		if err != nil {
			return fmt.Errorf("keys: %s: %w", path, err)
		}
		k, _ := FromSeed(seed, f.Created)
		if k.ID != f.Kid {
			return fmt.Errorf("keys: %s: kid %q does not match the key", path, f.Kid)
		}
		k.Retired = f.Retired
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if !keys[i].Created.Equal(keys[j].Created) {
			return keys[i].Created.Before(keys[j].Created)
		}
		return keys[i].ID < keys[j].ID
	})
	// At most one key signs: if an interrupted rotation left two unretired,
	// the newest wins and the others retire now.
	for i := range keys[:max(len(keys)-1, 0)] {
		if keys[i].Retired.IsZero() {
			keys[i].Retired = r.o.Now().UTC()
			if err := r.writeKey(keys[i]); err != nil {
				return err
			}
		}
	}
	r.keys = keys
	r.pruneLocked()
	return nil
}

// withDirLock runs f holding an exclusive lock on the folder, so that two
// processes sharing it never generate or rotate at the same time.
func (r *Ring) withDirLock(f func() error) error {
	if err := os.MkdirAll(r.o.Dir, 0o700); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	lf, err := os.OpenFile(filepath.Join(r.o.Dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("keys: lock: %w", err)
	}
	defer lf.Close()
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("keys: lock: %w", err)
	}
	defer syscall.Flock(int(lf.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing releases it too
	r.mu.Lock()
	defer r.mu.Unlock()
	return f()
}

func (r *Ring) addKeyLocked() error {
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return fmt.Errorf("keys: generate: %w", err)
	}
	k, _ := FromSeed(priv.Seed(), r.o.Now())
	if err := r.writeKey(k); err != nil {
		return err
	}
	r.keys = append(r.keys, k)
	return nil
}

// writeKey stores k atomically with mode 0600.
func (r *Ring) writeKey(k Key) error {
	raw, err := json.MarshalIndent(keyFile{
		Kid: k.ID, Seed: base64.StdEncoding.EncodeToString(k.Private.Seed()), Created: k.Created, Retired: k.Retired,
	}, "", "  ")
	if err != nil {
		return err
	}
	final := filepath.Join(r.o.Dir, filePrefix+k.ID+fileSuffix)
	tmp, err := os.CreateTemp(r.o.Dir, ".tmp-key-*")
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("keys: %w", err)
	}
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return fmt.Errorf("keys: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("keys: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	return nil
}

// pruneLocked forgets (and in folder mode deletes) retired keys whose
// tokens have all expired.
func (r *Ring) pruneLocked() {
	if r.fromEnv {
		return
	}
	now := r.o.Now()
	kept := r.keys[:0]
	for _, k := range r.keys {
		if !k.Retired.IsZero() && !now.Before(k.Retired.Add(r.o.Lifetime)) {
			_ = os.Remove(filepath.Join(r.o.Dir, filePrefix+k.ID+fileSuffix))
			continue
		}
		kept = append(kept, k)
	}
	r.keys = kept
}

// ErrFromEnvironment means keys given by the environment cannot be rotated
// by the service; change the environment instead.
var ErrFromEnvironment = errors.New("keys come from TB_SIGNING_KEY; rotate them there")

// Rotate makes a new signing key. The previous one stays published for the
// lifetime of the tokens it signed.
func (r *Ring) Rotate() error {
	if r.fromEnv {
		return ErrFromEnvironment
	}
	return r.withDirLock(func() error {
		// Another process may have rotated meanwhile; start from the disk.
		if err := r.loadDir(); err != nil {
			return err
		}
		if n := len(r.keys); n > 0 && r.keys[n-1].Retired.IsZero() {
			r.keys[n-1].Retired = r.o.Now().UTC()
			if err := r.writeKey(r.keys[n-1]); err != nil {
				return err
			}
		}
		return r.addKeyLocked()
	})
}

// RotateIfOlder rotates when the signing key was made more than age ago.
// It reports whether it rotated. Keys from the environment never rotate.
func (r *Ring) RotateIfOlder(age time.Duration) (bool, error) {
	if r.fromEnv || age <= 0 {
		return false, nil
	}
	if r.o.Now().Sub(r.Signer().Created) < age {
		r.mu.Lock()
		r.pruneLocked()
		r.mu.Unlock()
		return false, nil
	}
	return true, r.Rotate()
}

// Signer returns the key that signs now.
func (r *Ring) Signer() Key {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.keys[len(r.keys)-1]
}

// JWKS returns the published keys: the signing key and every retired key
// whose tokens may still be valid.
func (r *Ring) JWKS() auth.JWKS {
	r.mu.RLock()
	defer r.mu.RUnlock()
	now := r.o.Now()
	set := auth.JWKS{Keys: []auth.JWK{}}
	for i := len(r.keys) - 1; i >= 0; i-- { // signing key first
		k := r.keys[i]
		if r.published(k, now) {
			set.Keys = append(set.Keys, auth.NewJWK(k.ID, k.Public()))
		}
	}
	return set
}

func (r *Ring) published(k Key, now time.Time) bool {
	return r.fromEnv || k.Retired.IsZero() || now.Before(k.Retired.Add(r.o.Lifetime))
}

// Key implements auth.KeySet with the published keys.
func (r *Ring) Key(_ context.Context, kid string) (ed25519.PublicKey, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	now := r.o.Now()
	for _, k := range r.keys {
		if k.ID == kid && r.published(k, now) {
			return k.Public(), nil
		}
	}
	return nil, auth.ErrUnknownKey
}
