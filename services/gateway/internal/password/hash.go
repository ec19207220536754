// Package password hashes passwords with Argon2id and decides which
// passwords are acceptable.
//
// Hashes are PHC strings that carry their own parameters,
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// (salt and hash in unpadded standard base64), so that the parameters can be
// raised later without invalidating stored hashes: Verify reads them from
// the string, and NeedsRehash tells the caller to store a stronger hash
// after the next successful sign-in.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
)

// Params are Argon2id cost parameters.
type Params struct {
	// Memory in KiB.
	Memory uint32
	// Time is the number of passes.
	Time    uint32
	Threads uint8
	SaltLen int
	KeyLen  uint32
}

// Default follows the OWASP recommendation for Argon2id: 19 MiB, two
// passes, one lane.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Bounds on the parameters Verify accepts from a stored string, so that a
// corrupted or planted hash cannot make one sign-in take minutes or
// gigabytes.
const (
	maxMemory  = 1 << 20 // 1 GiB
	maxTime    = 16
	maxThreads = 16
	maxKeyLen  = 128
	minKeyLen  = 16
	minSaltLen = 8
	maxSaltLen = 64
)

// ErrMalformedHash means a stored string is not an Argon2id PHC string this
// package can check.
var ErrMalformedHash = errors.New("malformed password hash")

// ErrBusy means every hashing slot stayed taken until the context ended.
var ErrBusy = fmt.Errorf("password hashing is at capacity: %w", domain.ErrBusy)

// Hasher hashes and verifies passwords, bounding how many hashes run at
// once: each takes Params.Memory of RAM, so a burst of sign-ins must queue
// rather than exhaust memory.
type Hasher struct {
	params Params
	slots  chan struct{}
}

// NewHasher returns a hasher with p (zero means Default) that runs at most
// concurrency hashes at a time (zero means twice the CPUs).
func NewHasher(p Params, concurrency int) *Hasher {
	if p == (Params{}) {
		p = Default
	}
	if concurrency <= 0 {
		concurrency = 2 * runtime.GOMAXPROCS(0)
	}
	return &Hasher{params: p, slots: make(chan struct{}, concurrency)}
}

// Params returns the parameters new hashes get.
func (h *Hasher) Params() Params { return h.params }

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: %v", ErrBusy, ctx.Err())
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the PHC string of a new salted hash of pw.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	p := h.params
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey(prepare(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encode(p, salt, key), nil
}

// Verify reports whether pw matches the PHC string phc, using the
// parameters stored in it and a constant-time comparison.
func (h *Hasher) Verify(ctx context.Context, pw, phc string) (bool, error) {
	p, salt, want, err := decode(phc)
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey(prepare(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NeedsRehash reports whether phc was made with weaker parameters than the
// hasher's own (or cannot be read at all).
func (h *Hasher) NeedsRehash(phc string) bool {
	p, salt, key, err := decode(phc)
	if err != nil {
		return true
	}
	return p.Memory < h.params.Memory || p.Time < h.params.Time ||
		len(salt) < h.params.SaltLen || uint32(len(key)) < h.params.KeyLen
}

// Decode returns the parameters stored in a PHC string, for inspection.
func Decode(phc string) (Params, error) {
	p, salt, key, err := decode(phc)
	if err != nil {
		return Params{}, err
	}
	p.SaltLen = len(salt)
	p.KeyLen = uint32(len(key))
	return p, nil
}

// prepare puts the password into Unicode normal form C, so that the same
// characters typed on different systems give the same hash.
func prepare(pw string) []byte { return []byte(norm.NFC.String(pw)) }

var b64 = base64.RawStdEncoding

func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

func decode(phc string) (p Params, salt, key []byte, err error) {
	bad := func(what string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, what)
	}
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("not a PHC string")
	}
	if parts[1] != "argon2id" {
		return bad("not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("unsupported version")
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || seen[k] {
			return bad("bad parameter list")
		}
		seen[k] = true
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("bad parameter " + k)
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return bad("bad parameter p")
			}
			p.Threads = uint8(n)
		default:
			return bad("unknown parameter " + k)
		}
	}
	if !seen["m"] || !seen["t"] || !seen["p"] {
		return bad("missing parameter")
	}
	if p.Time < 1 || p.Time > maxTime || p.Threads < 1 || p.Threads > maxThreads ||
		p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory {
		return bad("parameters out of range")
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return bad("bad salt")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return bad("bad hash")
	}
	return p, salt, key, nil
}
