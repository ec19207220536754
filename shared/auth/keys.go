package auth

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// JWKSSubject is the NATS request–reply subject on which the identity
// service answers with its JWKS.
const JWKSSubject = "tb.rpc.identity.jwks"

// ErrUnknownKey means no key with the token's kid is known.
var ErrUnknownKey = errors.New("unknown signing key")

// KeySet finds a public key by its id.
type KeySet interface {
	Key(ctx context.Context, kid string) (ed25519.PublicKey, error)
}

// JWK is one public key in a JWKS (RFC 8037 OKP form for Ed25519).
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
}

// JWKS is a key set document.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// NewJWK describes an Ed25519 public key.
func NewJWK(kid string, pub ed25519.PublicKey) JWK {
	return JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(pub), Kid: kid, Use: "sig", Alg: Algorithm}
}

// PublicKeys decodes the Ed25519 keys of a JWKS by kid; other keys are
// skipped.
func (s JWKS) PublicKeys() map[string]ed25519.PublicKey {
	out := make(map[string]ed25519.PublicKey, len(s.Keys))
	for _, k := range s.Keys {
		if k.Kty != "OKP" || k.Crv != "Ed25519" || k.Kid == "" {
			continue
		}
		b, err := base64.RawURLEncoding.DecodeString(k.X)
		if err != nil || len(b) != ed25519.PublicKeySize {
			continue
		}
		out[k.Kid] = ed25519.PublicKey(b)
	}
	return out
}

// StaticKeys is a fixed key set, for the issuer itself and for tests.
type StaticKeys map[string]ed25519.PublicKey

// Key implements KeySet.
func (s StaticKeys) Key(_ context.Context, kid string) (ed25519.PublicKey, error) {
	if k, ok := s[kid]; ok {
		return k, nil
	}
	return nil, ErrUnknownKey
}

// RemoteKeys fetches the identity service's JWKS over NATS and caches it.
// An unknown kid triggers a refetch, at most once per MinRefresh, so a flood
// of forged kids cannot turn into a flood of requests. The cache is also
// refreshed once it is older than MaxAge, so a key the identity service
// stopped publishing stops being trusted; if that refresh fails, the cached
// keys keep working until the identity service answers again.
type RemoteKeys struct {
	nc         *nats.Conn
	MinRefresh time.Duration
	MaxAge     time.Duration

	mu      sync.Mutex
	keys    map[string]ed25519.PublicKey
	fetched time.Time
	// next is the earliest time of the next fetch that is not forced by
	// age: MinRefresh after a fetch, a second after a failed one.
	next time.Time
}

// ErrKeysUnavailable means the identity service did not answer for its
// keys: the token may be fine, but it cannot be checked now.
var ErrKeysUnavailable = errors.New("signing keys unavailable")

// NewRemoteKeys returns a key set backed by the JWKS subject.
func NewRemoteKeys(nc *nats.Conn) *RemoteKeys {
	return &RemoteKeys{nc: nc, MinRefresh: 5 * time.Second, MaxAge: 5 * time.Minute}
}

// Key implements KeySet.
func (r *RemoteKeys) Key(ctx context.Context, kid string) (ed25519.PublicKey, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k, known := r.keys[kid]
	stale := r.MaxAge > 0 && time.Since(r.fetched) >= r.MaxAge
	switch {
	case known && !stale:
		return k, nil
	case time.Now().Before(r.next):
		// Asked too recently: answer from the cache.
		if known {
			return k, nil
		}
		if r.fetched.IsZero() {
			return nil, ErrKeysUnavailable
		}
		return nil, ErrUnknownKey
	}
	if err := r.fetch(ctx); err != nil {
		r.next = time.Now().Add(min(time.Second, r.MinRefresh))
		if known {
			return k, nil
		}
		return nil, fmt.Errorf("%w: %v", ErrKeysUnavailable, err)
	}
	r.next = time.Now().Add(r.MinRefresh)
	if k, ok := r.keys[kid]; ok {
		return k, nil
	}
	return nil, ErrUnknownKey
}

func (r *RemoteKeys) fetch(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	msg, err := r.nc.RequestWithContext(ctx, JWKSSubject, nil)
	if err != nil {
		return fmt.Errorf("fetch jwks: %w", err)
	}
	var set JWKS
	if err := json.Unmarshal(msg.Data, &set); err != nil {
		return fmt.Errorf("decode jwks: %w", err)
	}
	r.keys = set.PublicKeys()
	r.fetched = time.Now()
	return nil
}
