package password

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
)

func TestHashIsArgon2idPHCWithStoredParameters(t *testing.T) {
	t.Parallel()
	h := NewHasher(Default, 0)
	phc, err := h.Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("Hash() = %q, want prefix $argon2id$v=19$m=19456,t=2,p=1$", phc)
	}
	p, err := Decode(phc)
	if err != nil {
		t.Fatalf("Decode(%q) = %v", phc, err)
	}
	if p.Memory < 19456 || p.Time < 2 || p.Threads != 1 || p.SaltLen < 16 || p.KeyLen < 32 {
		t.Errorf("Decode(hash) = %+v, want m>=19456 t>=2 p=1 salt>=16 key>=32", p)
	}
	again, _ := h.Hash(context.Background(), "correct horse battery staple")
	if again == phc {
		t.Errorf("two hashes of one password are equal (%q): the salt is not random", phc)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := NewHasher(Default, 0)
	phc, err := h.Hash(ctx, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	// "é" composed (U+00E9) and decomposed (e + U+0301) are the same text.
	nfc, err := h.Hash(ctx, "caf\u00e9 au lait tous les jours")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, pw, phc string
		want          bool
	}{
		{"right password", "correct horse battery staple", phc, true},
		{"wrong password", "correct horse battery stapler", phc, false},
		{"case matters", "Correct horse battery staple", phc, false},
		{"empty", "", phc, false},
		{"same text in another Unicode form", "cafe\u0301 au lait tous les jours", nfc, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := h.Verify(ctx, tc.pw, tc.phc)
			if err != nil || got != tc.want {
				t.Errorf("Verify(%q) = %v, %v; want %v", tc.pw, got, err, tc.want)
			}
		})
	}
}

func TestVerifyUsesTheParametersInTheHash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	weak := NewHasher(Params{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 1)
	phc, err := weak.Hash(ctx, "an older, weaker hash")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(phc, "m=8192,t=1,p=1") {
		t.Fatalf("weak hash %q does not carry its parameters", phc)
	}
	strong := NewHasher(Default, 0)
	if ok, err := strong.Verify(ctx, "an older, weaker hash", phc); !ok || err != nil {
		t.Errorf("Verify(weak hash) with default hasher = %v, %v; want true", ok, err)
	}
	if !strong.NeedsRehash(phc) {
		t.Errorf("NeedsRehash(%q) = false, want true", phc)
	}
	current, _ := strong.Hash(ctx, "x")
	if strong.NeedsRehash(current) {
		t.Errorf("NeedsRehash(current hash) = true, want false")
	}
}

func TestDecodeRefusesMalformedHashes(t *testing.T) {
	t.Parallel()
	const salt, key = "c2FsdHNhbHRzYWx0c2FsdA", "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
	for _, phc := range []string{
		"",
		"plaintext",
		"$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1,x=3$" + salt + "$" + key,
		"$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + key, // 4 TiB
		"$argon2id$v=19$m=19456,t=1000,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$!!!$" + key,
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$c2hvcnQ",
		"$argon2id$v=19$m=19456,t=2,p=1$" + salt,
	} {
		if _, err := Decode(phc); !errors.Is(err, ErrMalformedHash) {
			t.Errorf("Decode(%q) = %v, want ErrMalformedHash", phc, err)
		}
		if ok, err := NewHasher(Default, 1).Verify(context.Background(), "pw", phc); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want false and an error", phc, ok, err)
		}
	}
}

func TestHasherBoundsConcurrentHashes(t *testing.T) {
	t.Parallel()
	h := NewHasher(Default, 1)
	h.slots <- struct{}{} // the only slot is busy
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := h.Hash(ctx, "correct horse battery staple")
	if !errors.Is(err, ErrBusy) || !errors.Is(err, domain.ErrBusy) {
		t.Errorf("Hash with no free slot = %v, want ErrBusy (a domain.ErrBusy)", err)
	}
	<-h.slots
	if _, err := h.Hash(context.Background(), "correct horse battery staple"); err != nil {
		t.Errorf("Hash with a free slot = %v", err)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, pw, email string
		ok              bool
	}{
		{"long passphrase", "violet kettle drums at noon", "asha@example.org", true},
		{"exactly 12", "v1olet-k3ttl", "", true},
		{"exactly 128", strings.Repeat("ab", 64), "", true},
		{"11 characters", "v1olet-k3tt", "", false},
		{"129 characters", strings.Repeat("ab", 64) + "c", "", false},
		{"12 characters of Devanagari count as 12", "अआइईउऊएऐओऔकख", "", true},
		{"common: password1234", "password1234", "", false},
		{"common, other case", "PassWord1234", "", false},
		{"common: qwertyuiop123", "qwertyuiop123", "", false},
		{"common: iloveyou2024", "iloveyou2024", "", false},
		{"one character repeated", strings.Repeat("z", 20), "", false},
		{"the e-mail address", "asha.rao@example.org", "Asha.Rao@example.org", false},
		{"contains the local part", "my asha.rao secret", "asha.rao@example.org", false},
		{"control character", "violet kettle\x00drums", "", false},
		{"invalid UTF-8", "violet kettle \xff drums", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.pw, tc.email)
			if (err == nil) != tc.ok {
				t.Fatalf("Check(%q) = %v, want ok=%v", tc.pw, err, tc.ok)
			}
			if err != nil {
				var ve *domain.ValidationError
				if !errors.As(err, &ve) || ve.Field != "password" {
					t.Errorf("Check(%q) = %#v, want a ValidationError on password", tc.pw, err)
				}
				if len(tc.pw) > 3 && strings.Contains(err.Error(), tc.pw) {
					t.Errorf("Check error %q repeats the password", err)
				}
			}
		})
	}
}

func TestCommonListIsLoaded(t *testing.T) {
	t.Parallel()
	if n := CommonCount(); n < 3000 {
		t.Errorf("CommonCount() = %d, want a few thousand at least", n)
	}
	for _, pw := range []string{"password1234", "passwordpassword", "123456789012", "letmein12345"} {
		if _, ok := commonSet()[pw]; !ok {
			t.Errorf("%q is not on the common list", pw)
		}
	}
	for pw := range commonSet() {
		if len([]rune(pw)) < MinLength || pw != strings.ToLower(pw) {
			t.Fatalf("list entry %q is shorter than %d or not lower case", pw, MinLength)
		}
	}
}
