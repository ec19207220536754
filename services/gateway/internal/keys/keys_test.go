package keys

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/platformtest"
)

const lifetime = 15*time.Minute + 30*time.Second

func kids(s auth.JWKS) []string {
	var out []string
	for _, k := range s.Keys {
		out = append(out, k.Kid)
	}
	return out
}

// RFC 8037 appendix A.3 gives the thumbprint of its example Ed25519 key.
func TestThumbprintMatchesRFC8037(t *testing.T) {
	t.Parallel()
	x, _ := base64.RawURLEncoding.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
	const want = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
	if got := Thumbprint(ed25519.PublicKey(x)); got != want {
		t.Errorf("Thumbprint(RFC 8037 key) = %q, want %q", got, want)
	}
	// The same RFC's private key (seed) gives that public key.
	d, _ := base64.RawURLEncoding.DecodeString("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
	k, err := FromSeed(d, time.Now())
	if err != nil || k.ID != want {
		t.Errorf("FromSeed(RFC 8037 d) = %q, %v; want kid %q", k.ID, err, want)
	}
}

func TestDirGeneratesAPrivateKeyOnceAndKeepsIt(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "keys")
	r, err := Open(Options{Dir: dir, Lifetime: lifetime})
	if err != nil {
		t.Fatal(err)
	}
	kid := r.Signer().ID
	files, _ := filepath.Glob(filepath.Join(dir, "ed25519-*.json"))
	if len(files) != 1 {
		t.Fatalf("key files = %v, want one", files)
	}
	st, _ := os.Stat(files[0])
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", st.Mode().Perm())
	}
	dst, _ := os.Stat(dir)
	if dst.Mode().Perm() != 0o700 {
		t.Errorf("keys dir mode = %v, want 0700", dst.Mode().Perm())
	}
	again, err := Open(Options{Dir: dir, Lifetime: lifetime})
	if err != nil {
		t.Fatal(err)
	}
	if again.Signer().ID != kid {
		t.Errorf("reopened signer = %s, want the stored %s", again.Signer().ID, kid)
	}
	if got := kids(again.JWKS()); len(got) != 1 || got[0] != kid {
		t.Errorf("JWKS kids = %v, want [%s]", got, kid)
	}
}

func TestDirRefusesAKeyFileOthersCanRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := Open(Options{Dir: dir, Lifetime: lifetime}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "ed25519-*.json"))
	if err := os.Chmod(files[0], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{Dir: dir, Lifetime: lifetime}); err == nil || !strings.Contains(err.Error(), "0600") {
		t.Errorf("Open with a 0644 key file = %v, want an error asking for 0600", err)
	}
}

func TestRotateKeepsThePreviousKeyUntilItsTokensExpire(t *testing.T) {
	t.Parallel()
	clk := platformtest.NewClock(time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	r, err := Open(Options{Dir: dir, Lifetime: lifetime, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	old := r.Signer()
	clk.Advance(time.Hour)
	if err := r.Rotate(); err != nil {
		t.Fatal(err)
	}
	cur := r.Signer()
	if cur.ID == old.ID {
		t.Fatalf("Rotate kept the signer %s", cur.ID)
	}
	if got := kids(r.JWKS()); len(got) != 2 || got[0] != cur.ID || got[1] != old.ID {
		t.Errorf("JWKS after rotation = %v, want [%s %s] (signer first)", got, cur.ID, old.ID)
	}
	ctx := context.Background()
	if _, err := r.Key(ctx, old.ID); err != nil {
		t.Errorf("Key(previous) right after rotation = %v, want found", err)
	}
	// A restart in between sees the same state.
	reopened, err := Open(Options{Dir: dir, Lifetime: lifetime, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if reopened.Signer().ID != cur.ID || len(reopened.JWKS().Keys) != 2 {
		t.Errorf("reopened: signer %s, JWKS %v; want signer %s and both keys", reopened.Signer().ID, kids(reopened.JWKS()), cur.ID)
	}

	clk.Advance(lifetime - time.Second)
	if _, err := r.Key(ctx, old.ID); err != nil {
		t.Errorf("Key(previous) just before its tokens expire = %v, want found", err)
	}
	clk.Advance(time.Second)
	if _, err := r.Key(ctx, old.ID); !errors.Is(err, auth.ErrUnknownKey) {
		t.Errorf("Key(previous) after its tokens expired = %v, want ErrUnknownKey", err)
	}
	if got := kids(r.JWKS()); len(got) != 1 || got[0] != cur.ID {
		t.Errorf("JWKS after expiry = %v, want [%s]", got, cur.ID)
	}
	if rotated, err := r.RotateIfOlder(24 * time.Hour); rotated || err != nil {
		t.Errorf("RotateIfOlder(24h) on a young key = %v, %v; want false", rotated, err)
	}
	if _, err := os.Stat(filepath.Join(dir, filePrefix+old.ID+fileSuffix)); !os.IsNotExist(err) {
		t.Errorf("the expired key's file is still there (stat: %v)", err)
	}
}

func TestRotateIfOlder(t *testing.T) {
	t.Parallel()
	clk := platformtest.NewClock(time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC))
	r, err := Open(Options{Dir: t.TempDir(), Lifetime: lifetime, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	first := r.Signer().ID
	clk.Advance(29 * 24 * time.Hour)
	if rotated, _ := r.RotateIfOlder(30 * 24 * time.Hour); rotated || r.Signer().ID != first {
		t.Errorf("RotateIfOlder(30d) at 29 days rotated")
	}
	clk.Advance(24 * time.Hour)
	if rotated, err := r.RotateIfOlder(30 * 24 * time.Hour); !rotated || err != nil || r.Signer().ID == first {
		t.Errorf("RotateIfOlder(30d) at 30 days = %v, %v; want a new signer", rotated, err)
	}
}

func TestKeysFromTheEnvironment(t *testing.T) {
	t.Parallel()
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i)
	}
	next := make([]byte, 32)
	for i := range next {
		next[i] = byte(100 + i)
	}
	want, _ := FromSeed(seed, time.Now())
	extra, _ := FromSeed(next, time.Now())
	r, err := Open(Options{
		SigningKey: base64.StdEncoding.EncodeToString(seed),
		VerifyKeys: []string{base64.RawURLEncoding.EncodeToString(next)},
		Lifetime:   lifetime,
		Dir:        "/nonexistent/never/used",
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Signer().ID != want.ID {
		t.Errorf("Signer = %s, want %s (from the seed)", r.Signer().ID, want.ID)
	}
	if got := kids(r.JWKS()); len(got) != 2 || got[0] != want.ID || got[1] != extra.ID {
		t.Errorf("JWKS = %v, want [%s %s]", got, want.ID, extra.ID)
	}
	if err := r.Rotate(); !errors.Is(err, ErrFromEnvironment) {
		t.Errorf("Rotate with keys from the environment = %v, want ErrFromEnvironment", err)
	}
	for _, bad := range []string{"not base64!", base64.StdEncoding.EncodeToString([]byte("short"))} {
		if _, err := Open(Options{SigningKey: bad, Lifetime: lifetime}); err == nil {
			t.Errorf("Open(SigningKey=%q) = nil error, want one", bad)
		}
	}
}
