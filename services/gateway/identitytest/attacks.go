// Package identitytest helps tests of any service prove that forged,
// altered or expired access tokens are refused. It builds the tokens by
// hand (no JWT library), so that it can make the malformed ones a library
// would refuse to make.
package identitytest

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/talentbridge/platform/services/gateway/internal/keys"
	"github.com/talentbridge/platform/shared/auth"
)

// Key is a signing key as the gateway derives it from a seed.
type Key struct {
	ID      string
	Private ed25519.PrivateKey
}

// KeyFromSeed returns the key (and kid) the gateway uses for the 32-byte
// seed, as given in TB_SIGNING_KEY.
func KeyFromSeed(seed []byte) Key {
	k, err := keys.FromSeed(seed, time.Now())
	if err != nil {
		panic(err)
	}
	return Key{ID: k.ID, Private: k.Private}
}

// Case is one attack: the Authorization header to send.
type Case struct {
	Name          string
	Authorization string
}

var b64 = base64.RawURLEncoding

func segment(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b64.EncodeToString(raw)
}

// Claims returns the claims of a valid token for subject and role: right
// issuer and audience, issued now, expiring in 15 minutes.
func Claims(subject, role string) map[string]any {
	now := time.Now()
	return map[string]any{
		"iss": auth.Issuer, "aud": []string{auth.Audience}, "sub": subject, "role": role,
		"iat": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(), "jti": "attack-" + subject,
	}
}

// Sign makes a compact EdDSA JWS of claims with k's private key and kid.
func Sign(k Key, kid string, claims map[string]any) string {
	return signWith(k.Private, map[string]any{"alg": auth.Algorithm, "typ": "JWT", "kid": kid}, claims)
}

func signWith(priv ed25519.PrivateKey, header, claims map[string]any) string {
	signing := segment(header) + "." + segment(claims)
	return signing + "." + b64.EncodeToString(ed25519.Sign(priv, []byte(signing)))
}

// Valid is a token the platform must accept, as the control case.
func Valid(k Key, subject, role string) string {
	return Sign(k, k.ID, Claims(subject, role))
}

func with(c map[string]any, set map[string]any, drop ...string) map[string]any {
	out := map[string]any{}
	for k, v := range c {
		out[k] = v
	}
	for k, v := range set {
		out[k] = v
	}
	for _, k := range drop {
		delete(out, k)
	}
	return out
}

// Attacks returns tokens that each must be answered 401 on a protected
// route, built for a real user (subject, role) and the platform's real key
// k so that each fails for its own reason only.
func Attacks(k Key, subject, role string) []Case {
	good := Claims(subject, role)
	pub := k.Private.Public().(ed25519.PublicKey)
	bearer := func(t string) string { return "Bearer " + t }

	hs256 := func(secret []byte) string {
		signing := segment(map[string]any{"alg": "HS256", "typ": "JWT", "kid": k.ID}) + "." + segment(good)
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(signing))
		return signing + "." + b64.EncodeToString(mac.Sum(nil))
	}
	_, otherPriv, err := ed25519.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	valid := Valid(k, subject, role)
	parts := strings.Split(valid, ".")
	altered := parts[0] + "." + segment(with(good, map[string]any{"role": auth.RoleAdmin})) + "." + parts[2]
	now := time.Now()

	return []Case{
		{"alg none", bearer(segment(map[string]any{"alg": "none", "typ": "JWT", "kid": k.ID}) + "." + segment(good) + ".")},
		{"HS256 keyed with the public key bytes", bearer(hs256(pub))},
		{"HS256 keyed with the public key as in the JWKS", bearer(hs256([]byte(b64.EncodeToString(pub))))},
		{"expired", bearer(Sign(k, k.ID, with(good, map[string]any{"iat": now.Add(-2 * time.Hour).Unix(), "exp": now.Add(-time.Hour).Unix()})))},
		{"no exp", bearer(Sign(k, k.ID, with(good, nil, "exp")))},
		{"issued in the future", bearer(Sign(k, k.ID, with(good, map[string]any{"iat": now.Add(time.Hour).Unix(), "exp": now.Add(2 * time.Hour).Unix()})))},
		{"wrong aud", bearer(Sign(k, k.ID, with(good, map[string]any{"aud": []string{"some-other-api"}})))},
		{"wrong iss", bearer(Sign(k, k.ID, with(good, map[string]any{"iss": "someone-else"})))},
		{"no kid", bearer(signWith(k.Private, map[string]any{"alg": auth.Algorithm, "typ": "JWT"}, good))},
		{"unknown kid", bearer(Sign(k, "no-such-key", good))},
		{"another key with a known kid", bearer(Sign(Key{ID: k.ID, Private: otherPriv}, k.ID, good))},
		{"payload altered", bearer(altered)},
		{"signature stripped", bearer(parts[0] + "." + parts[1] + ".")},
		{"no subject", bearer(Sign(k, k.ID, with(good, nil, "sub")))},
		{"not a bearer token", "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:admin"))},
		{"valid token without the Bearer scheme", valid},
		{"1 MB of dots", bearer(strings.Repeat(".", 1<<20))},
	}
}
