package gateway_test

import (
	"context"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/gateway"
	"github.com/talentbridge/platform/services/gateway/internal/password"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/fielderr"
)

// The acceptance flow: sign up, sign in, read the account, refresh, and
// present the old refresh token again: that reuse revokes the whole session,
// the new chain included, but not other sign-ins.
func TestRefreshTokenReuseRevokesTheSession(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	u := e.signup(t, "  Asha.Rao@Example.ORG ", "applicant")
	if u.Email != "asha.rao@example.org" || u.Role != "applicant" || u.Status != "active" || u.ID == "" {
		t.Fatalf("signup = %+v, want a normalised, active applicant with an id", u)
	}

	first := e.login(t, "asha.rao@example.org", goodPassword)
	if first.ExpiresIn != 900 || first.TokenType != "Bearer" || first.AccessToken == "" || len(first.RefreshToken) < 43 {
		t.Fatalf("login = %+v, want a bearer token for 900 s and a refresh token of >= 32 bytes", first)
	}
	r := e.do(t, "GET", "/api/v1/auth/me", first.AccessToken, nil)
	var me user
	r.JSON(t, &me)
	if r.Status != http.StatusOK || me.ID != u.ID || me.Email != u.Email {
		t.Fatalf("me = %d %s, want 200 with the account", r.Status, r.Body)
	}

	r = e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": first.RefreshToken})
	if r.Status != http.StatusOK {
		t.Fatalf("refresh = %d %s, want 200", r.Status, r.Body)
	}
	var second tokens
	r.JSON(t, &second)
	if second.RefreshToken == first.RefreshToken || second.AccessToken == "" {
		t.Fatalf("refresh returned the same refresh token")
	}
	if r := e.do(t, "GET", "/api/v1/auth/me", second.AccessToken, nil); r.Status != http.StatusOK {
		t.Fatalf("me with the refreshed token = %d, want 200", r.Status)
	}

	// Someone presents the first refresh token again.
	r = e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": first.RefreshToken})
	if p := r.Problem(t); r.Status != http.StatusUnauthorized || p.Code != "invalid_refresh_token" {
		t.Fatalf("refresh with the used token = %d %s, want 401 invalid_refresh_token", r.Status, r.Body)
	}
	// The newest token of that session is dead too.
	r = e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": second.RefreshToken})
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("refresh with the newest token after reuse = %d %s, want 401", r.Status, r.Body)
	}

	// Another sign-in of the same account is a separate session.
	other := e.login(t, "asha.rao@example.org", goodPassword)
	r = e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": other.RefreshToken})
	if r.Status != http.StatusOK {
		t.Fatalf("refresh of another session = %d %s, want 200", r.Status, r.Body)
	}

	// Only hashes of refresh tokens are stored.
	cur, err := e.DB.Collection("sessions").Find(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []bson.M
	if err := cur.All(context.Background(), &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Errorf("sessions stored = %d, want 2", len(docs))
	}
	for _, d := range docs {
		raw, _ := bson.MarshalExtJSON(d, false, false)
		for _, tok := range []string{first.RefreshToken, second.RefreshToken, other.RefreshToken} {
			if strings.Contains(string(raw), tok) {
				t.Errorf("a session document holds a refresh token in clear: %s", raw)
			}
		}
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	email := uniqueEmail(t, "logout")
	e.signup(t, email, "applicant")

	// With the refresh token in the body.
	a := e.login(t, email, goodPassword)
	if r := e.do(t, "POST", "/api/v1/auth/logout", "", map[string]string{"refreshToken": a.RefreshToken}); r.Status != http.StatusNoContent {
		t.Fatalf("logout with refresh token = %d %s, want 204", r.Status, r.Body)
	}
	if r := e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": a.RefreshToken}); r.Status != http.StatusUnauthorized {
		t.Errorf("refresh after logout = %d, want 401", r.Status)
	}

	// With only the access token: its session ends.
	b := e.login(t, email, goodPassword)
	c := e.login(t, email, goodPassword)
	if r := e.do(t, "POST", "/api/v1/auth/logout", b.AccessToken, nil); r.Status != http.StatusNoContent {
		t.Fatalf("logout with access token = %d %s, want 204", r.Status, r.Body)
	}
	if r := e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": b.RefreshToken}); r.Status != http.StatusUnauthorized {
		t.Errorf("refresh of the signed-out session = %d, want 401", r.Status)
	}
	if r := e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": c.RefreshToken}); r.Status != http.StatusOK {
		t.Errorf("refresh of another session = %d, want 200", r.Status)
	}

	// Nothing to end is not an error; garbage in the body is.
	if r := e.do(t, "POST", "/api/v1/auth/logout", "", nil); r.Status != http.StatusNoContent {
		t.Errorf("logout with nothing = %d, want 204", r.Status)
	}
	if r := e.do(t, "POST", "/api/v1/auth/logout", "", `{"refreshToken":"x","userId":"y"}`); r.Status != http.StatusBadRequest {
		t.Errorf("logout with an unknown field = %d, want 400", r.Status)
	}
}

func TestSignupValidation(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	e.signup(t, "taken@example.org", "applicant")
	for _, tc := range []struct {
		name   string
		body   string
		status int
		field  string
		code   fielderr.Code
	}{
		{"common password", `{"email":"a@example.org","password":"password1234","role":"applicant","name":"A"}`, 400, "password", "password_common"},
		{"short password", `{"email":"a@example.org","password":"short pw","role":"applicant","name":"A"}`, 400, "password", "password_too_short"},
		{"admin role", `{"email":"a@example.org","password":"` + goodPassword + `","role":"admin","name":"A"}`, 400, "role", "one_of"},
		{"coordinator role", `{"email":"a@example.org","password":"` + goodPassword + `","role":"coordinator","name":"A"}`, 400, "role", "one_of"},
		{"host without organization", `{"email":"a@example.org","password":"` + goodPassword + `","role":"host","name":"A"}`, 400, "organization", "required"},
		{"bad email", `{"email":"not-an-address","password":"` + goodPassword + `","role":"applicant","name":"A"}`, 400, "email", "email"},
		{"status smuggled in", `{"email":"a@example.org","password":"` + goodPassword + `","role":"host","name":"A","status":"active"}`, 400, "status", "unknown_field"},
		{"id smuggled in", `{"email":"a@example.org","password":"` + goodPassword + `","role":"applicant","name":"A","id":"x"}`, 400, "id", "unknown_field"},
		{"email taken, other case", `{"email":"TAKEN@example.org","password":"` + goodPassword + `","role":"applicant","name":"A"}`, 409, "", ""},
		{"not JSON", `email=a@example.org`, 400, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(t, "POST", "/api/v1/auth/signup", "", tc.body)
			p := r.Problem(t)
			if r.Status != tc.status {
				t.Fatalf("signup = %d %s, want %d", r.Status, r.Body, tc.status)
			}
			if tc.field != "" {
				found := false
				for _, f := range p.Errors {
					found = found || (f.Field == tc.field && f.Code == tc.code)
				}
				if !found {
					t.Errorf("signup problem %s does not name %q with code %s", r.Body, tc.field, tc.code)
				}
			}
			if strings.Contains(string(r.Body), "password1234") || strings.Contains(string(r.Body), goodPassword) {
				t.Errorf("the problem repeats the password: %s", r.Body)
			}
		})
	}
	r := e.do(t, "POST", "/api/v1/auth/signup", "", `{"email":"a@example.org"}`)
	if r.Status != http.StatusUnsupportedMediaType && r.Status != http.StatusBadRequest {
		t.Errorf("signup missing fields = %d", r.Status)
	}
	// Every problem at once: a missing name and a role nobody may choose
	// do not hide a bad address and a short password.
	r = e.do(t, "POST", "/api/v1/auth/signup", "", `{"email":"not-an-address","password":"short","role":"pilot","name":""}`)
	got := map[string]fielderr.Code{}
	for _, f := range r.Problem(t).Errors {
		got[f.Field] = f.Code
	}
	if want := map[string]fielderr.Code{"email": "email", "password": "password_too_short", "role": "one_of", "name": "required"}; r.Status != http.StatusBadRequest || !maps.Equal(got, want) {
		t.Errorf("signup with four bad fields = %d %v, want 400 %v", r.Status, got, want)
	}
	req := e.do(t, "POST", "/api/v1/auth/signup", "", "{}", "Content-Type", "text/plain")
	if req.Status != http.StatusUnsupportedMediaType {
		t.Errorf("signup as text/plain = %d, want 415", req.Status)
	}
}

func TestStoredPasswordHashIsArgon2id(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	u := e.signup(t, uniqueEmail(t, "hash"), "applicant")
	var doc bson.M
	if err := e.DB.Collection("users").FindOne(context.Background(), bson.D{{Key: "_id", Value: u.ID}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	h, _ := doc["passwordHash"].(string)
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("stored hash %q does not start with $argon2id$", h)
	}
	p, err := password.Decode(h)
	if err != nil {
		t.Fatalf("Decode(stored hash) = %v", err)
	}
	if p.Memory < 19456 || p.Time < 2 || p.Threads != 1 {
		t.Errorf("stored hash parameters m=%d t=%d p=%d, want m>=19456 t>=2 p=1", p.Memory, p.Time, p.Threads)
	}
	for k, v := range doc {
		if s, ok := v.(string); ok && strings.Contains(s, goodPassword) {
			t.Errorf("field %s holds the password", k)
		}
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	t.Parallel()
	t.Run("per client address, whatever X-Forwarded-For says", func(t *testing.T) {
		t.Parallel()
		e := start(t, envOptions{})
		email := uniqueEmail(t, "limited")
		e.signup(t, email, "applicant")
		for i := 1; i <= 5; i++ {
			r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": "wrong password " + strconv.Itoa(i)},
				"X-Forwarded-For", "203.0.113."+strconv.Itoa(i))
			if r.Status != http.StatusUnauthorized || r.Problem(t).Code != "invalid_credentials" {
				t.Fatalf("wrong password #%d = %d %s, want 401 invalid_credentials", i, r.Status, r.Body)
			}
		}
		r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": "wrong password 6"},
			"X-Forwarded-For", "198.51.100.77")
		if r.Status != http.StatusTooManyRequests || r.Problem(t).Code != "rate_limited" {
			t.Fatalf("wrong password #6 = %d %s, want 429", r.Status, r.Body)
		}
		secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || secs < 1 || secs > 60 {
			t.Errorf("Retry-After = %q, want 1..60 seconds", r.Header.Get("Retry-After"))
		}
		// The right password does not get through the limit either (the
		// account never signed in from this address). Guessing one account
		// does not lock the address out of the others: only failures count
		// against an address, and far more of them (a campus NAT).
		r = e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": goodPassword},
			"X-Forwarded-For", "192.0.2.1")
		if r.Status != http.StatusTooManyRequests {
			t.Errorf("right password within the window = %d, want 429", r.Status)
		}
		r = e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "other@example.org", "password": goodPassword})
		if r.Status != http.StatusUnauthorized {
			t.Errorf("another (unknown) account from the same address = %d, want 401", r.Status)
		}
		bystander := uniqueEmail(t, "bystander")
		e.signup(t, bystander, "applicant")
		e.login(t, bystander, goodPassword)

		e.Clock.Advance(time.Minute + time.Second)
		e.login(t, email, goodPassword)
	})

	t.Run("per account, across client addresses", func(t *testing.T) {
		t.Parallel()
		// Behind a trusted proxy, X-Forwarded-For names the client.
		e := start(t, envOptions{trustedProxies: []string{"127.0.0.0/8", "::1/128"}})
		email := uniqueEmail(t, "target")
		e.signup(t, email, "applicant")
		for i := 1; i <= 6; i++ {
			r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": "guess number " + strconv.Itoa(i)},
				"X-Forwarded-For", "203.0.113."+strconv.Itoa(i))
			want := http.StatusUnauthorized
			if i == 6 {
				want = http.StatusTooManyRequests
			}
			if r.Status != want {
				t.Fatalf("attempt #%d from its own address = %d %s, want %d", i, r.Status, r.Body, want)
			}
		}
		other := uniqueEmail(t, "bystander")
		e.signup(t, other, "applicant")
		r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": other, "password": goodPassword},
			"X-Forwarded-For", "203.0.113.200")
		if r.Status != http.StatusOK {
			t.Errorf("another account from a fresh address = %d %s, want 200", r.Status, r.Body)
		}
		// The right password from yet another address is refused too: the
		// account is being guessed.
		r = e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": goodPassword},
			"X-Forwarded-For", "203.0.113.201")
		if r.Status != http.StatusTooManyRequests {
			t.Errorf("right password from a new address while guessed = %d, want 429", r.Status)
		}
	})

	t.Run("the owner's own address is not locked out by guesses from elsewhere", func(t *testing.T) {
		t.Parallel()
		e := start(t, envOptions{trustedProxies: []string{"127.0.0.0/8", "::1/128"}})
		email := uniqueEmail(t, "owner")
		e.signup(t, email, "applicant")
		home := []string{"X-Forwarded-For", "198.51.100.10"}
		if r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": goodPassword}, home...); r.Status != http.StatusOK {
			t.Fatalf("first sign-in = %d %s", r.Status, r.Body)
		}
		for i := 1; i <= 8; i++ {
			e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": "guess number " + strconv.Itoa(i)},
				"X-Forwarded-For", "203.0.113."+strconv.Itoa(i))
		}
		if r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": goodPassword},
			"X-Forwarded-For", "203.0.113.99"); r.Status != http.StatusTooManyRequests {
			t.Errorf("right password from a new address after 8 guesses = %d, want 429", r.Status)
		}
		if r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": goodPassword}, home...); r.Status != http.StatusOK {
			t.Errorf("owner from the address they signed in from before = %d %s, want 200", r.Status, r.Body)
		}
		// Guessing from the owner's address itself is still limited.
		for i := 1; i <= 6; i++ {
			r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": "home guess " + strconv.Itoa(i)}, home...)
			want := http.StatusUnauthorized
			if i == 6 {
				want = http.StatusTooManyRequests
			}
			if r.Status != want {
				t.Fatalf("guess #%d from the owner's address = %d, want %d", i, r.Status, want)
			}
		}
	})

	t.Run("successful sign-ins are not counted", func(t *testing.T) {
		t.Parallel()
		// A campus: many students, one address, each signing in at once.
		e := start(t, envOptions{})
		for i := range 12 {
			email := uniqueEmail(t, "student"+strconv.Itoa(i))
			e.signup(t, email, "applicant")
			e.login(t, email, goodPassword)
			e.login(t, email, goodPassword)
		}
	})

	t.Run("per client address, failures only, not for accounts known there", func(t *testing.T) {
		t.Parallel()
		e := start(t, envOptions{config: func(c *gateway.Config) { c.LoginAddressLimit = 8 }})
		regular := uniqueEmail(t, "regular")
		e.signup(t, regular, "applicant")
		e.login(t, regular, goodPassword)
		for i := 1; i <= 8; i++ {
			r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": uniqueEmail(t, "nobody"), "password": goodPassword})
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("failure #%d from the address = %d, want 401", i, r.Status)
			}
		}
		newcomer := uniqueEmail(t, "newcomer")
		e.signup(t, newcomer, "applicant")
		r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": newcomer, "password": goodPassword})
		if r.Status != http.StatusTooManyRequests {
			t.Errorf("an account new to the address after its failure limit = %d, want 429", r.Status)
		}
		e.login(t, regular, goodPassword)
	})
}

func TestSignupIsRateLimitedPerAddress(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{trustedProxies: []string{"127.0.0.0/8", "::1/128"},
		config: func(c *gateway.Config) { c.SignupLimit = 3 }})
	body := func(email string) map[string]string {
		return map[string]string{"email": email, "password": goodPassword, "role": "applicant", "name": "Fair visitor"}
	}
	taken := uniqueEmail(t, "fair")
	for i := 1; i <= 3; i++ {
		email := taken
		if i > 1 {
			email = uniqueEmail(t, "fair")
		}
		if r := e.do(t, "POST", "/api/v1/auth/signup", "", body(email), "X-Forwarded-For", "203.0.113.7"); r.Status != http.StatusCreated {
			t.Fatalf("signup #%d = %d %s, want 201", i, r.Status, r.Body)
		}
	}
	// A taken address is still a 409 (docs/SECURITY.md), and counts.
	r := e.do(t, "POST", "/api/v1/auth/signup", "", body(taken), "X-Forwarded-For", "203.0.113.7")
	if r.Status != http.StatusTooManyRequests || r.Problem(t).Code != "rate_limited" {
		t.Fatalf("signup #4 from one address = %d %s, want 429 rate_limited", r.Status, r.Body)
	}
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 1 {
		t.Errorf("Retry-After = %q, want whole seconds", r.Header.Get("Retry-After"))
	}
	if r := e.do(t, "POST", "/api/v1/auth/signup", "", body(taken), "X-Forwarded-For", "203.0.113.8"); r.Status != http.StatusConflict {
		t.Errorf("taken address from another client = %d %s, want 409", r.Status, r.Body)
	}
	if r := e.do(t, "POST", "/api/v1/auth/signup", "", body(uniqueEmail(t, "fair")), "X-Forwarded-For", "203.0.113.8"); r.Status != http.StatusCreated {
		t.Errorf("signup from another client = %d %s, want 201", r.Status, r.Body)
	}
	e.Clock.Advance(10*time.Minute + time.Second)
	if r := e.do(t, "POST", "/api/v1/auth/signup", "", body(uniqueEmail(t, "fair")), "X-Forwarded-For", "203.0.113.7"); r.Status != http.StatusCreated {
		t.Errorf("signup in the next window = %d %s, want 201", r.Status, r.Body)
	}
}

func TestHostVerification(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{config: withAdmin})
	evs := e.identityEvents(t)

	host := e.signup(t, uniqueEmail(t, "host"), "host")
	if host.Status != "pending" || host.Organization != "Tohoku University" {
		t.Fatalf("host signup = %+v, want pending with its organization", host)
	}
	created := waitEvent(t, evs, events.UserCreated, host.ID)
	var c identity.UserCreated
	if err := created.Decode(&c); err != nil {
		t.Fatal(err)
	}
	if created.Type != events.UserCreated || created.Subject != host.ID || created.AggregateVersion != 1 || c.Status != "pending" || c.Role != "host" {
		t.Errorf("event = %s %s v%d %+v, want user.created v1 of the pending host", created.Type, created.Subject, created.AggregateVersion, c)
	}

	hostTokens := e.login(t, host.Email, goodPassword)
	var me user
	e.do(t, "GET", "/api/v1/auth/me", hostTokens.AccessToken, nil).JSON(t, &me)
	if me.Status != "pending" {
		t.Errorf("pending host's /auth/me status = %q, want pending", me.Status)
	}

	applicant := e.signup(t, uniqueEmail(t, "applicant"), "applicant")
	appTokens := e.login(t, applicant.Email, goodPassword)
	coord, coordTokens := e.coordinator(t, uniqueEmail(t, "coord"))
	if coord.Role != "coordinator" || coord.Status != "active" {
		t.Fatalf("created coordinator = %+v", coord)
	}

	// The waiting list is for coordinators only.
	r := e.do(t, "GET", "/api/v1/auth/users?status=pending", coordTokens.AccessToken, nil)
	var list struct {
		Items []user `json:"items"`
		Total int    `json:"total"`
	}
	r.JSON(t, &list)
	if r.Status != http.StatusOK || list.Total != 1 || len(list.Items) != 1 || list.Items[0].ID != host.ID {
		t.Fatalf("pending list = %d %s, want exactly the host", r.Status, r.Body)
	}
	for who, tok := range map[string]string{"applicant": appTokens.AccessToken, "host": hostTokens.AccessToken} {
		if r := e.do(t, "GET", "/api/v1/auth/users?status=pending", tok, nil); r.Status != http.StatusForbidden {
			t.Errorf("pending list as %s = %d, want 403", who, r.Status)
		}
	}
	if r := e.do(t, "GET", "/api/v1/auth/users?status=sleeping", coordTokens.AccessToken, nil); r.Status != http.StatusBadRequest {
		t.Errorf("pending list with a bad status = %d, want 400", r.Status)
	}
	// Issue 16, finding 5: one paging bound for every list.
	if r := e.do(t, "GET", "/api/v1/auth/users?page=10001", coordTokens.AccessToken, nil); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `"field":"page"`) {
		t.Errorf("user list page 10001 = %d %s, want 400 naming page", r.Status, r.Body)
	}

	// Only coordinators verify.
	for who, tok := range map[string]string{"applicant": appTokens.AccessToken, "the host itself": hostTokens.AccessToken} {
		r := e.do(t, "POST", "/api/v1/auth/users/"+host.ID+"/verify", tok, nil)
		if r.Status != http.StatusForbidden || r.Problem(t).Code != "forbidden_role" {
			t.Errorf("verify as %s = %d %s, want 403", who, r.Status, r.Body)
		}
	}
	if r := e.do(t, "POST", "/api/v1/auth/users/"+host.ID+"/verify", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("verify without a token = %d, want 401", r.Status)
	}
	if r := e.do(t, "POST", "/api/v1/auth/users/no-such-user/verify", coordTokens.AccessToken, nil); r.Status != http.StatusNotFound {
		t.Errorf("verify an unknown id = %d, want 404", r.Status)
	}
	if r := e.do(t, "POST", "/api/v1/auth/users/"+applicant.ID+"/verify", coordTokens.AccessToken, nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("verify an applicant = %d %s, want 422", r.Status, r.Body)
	}
	noEvent(t, evs, events.UserVerified, applicant.ID, 200*time.Millisecond)

	r = e.do(t, "POST", "/api/v1/auth/users/"+host.ID+"/verify", coordTokens.AccessToken, nil)
	var verified user
	r.JSON(t, &verified)
	if r.Status != http.StatusOK || verified.Status != "active" {
		t.Fatalf("verify = %d %s, want 200 active", r.Status, r.Body)
	}
	ev := waitEvent(t, evs, events.UserVerified, host.ID)
	var v identity.UserVerified
	if err := ev.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if ev.Type != events.UserVerified || ev.Subject != host.ID || ev.AggregateVersion != 2 || v.VerifiedBy != coord.ID || v.UserID != host.ID {
		t.Errorf("event = %s %s v%d %+v, want user.verified v2 by the coordinator", ev.Type, ev.Subject, ev.AggregateVersion, v)
	}
	e.do(t, "GET", "/api/v1/auth/me", hostTokens.AccessToken, nil).JSON(t, &me)
	if me.Status != "active" {
		t.Errorf("verified host's /auth/me status = %q, want active", me.Status)
	}

	// Verifying again changes nothing and publishes nothing.
	if r := e.do(t, "POST", "/api/v1/auth/users/"+host.ID+"/verify", coordTokens.AccessToken, nil); r.Status != http.StatusOK {
		t.Errorf("verify again = %d, want 200", r.Status)
	}
	noEvent(t, evs, events.UserVerified, host.ID, 500*time.Millisecond)
	e.do(t, "GET", "/api/v1/auth/users?status=pending", coordTokens.AccessToken, nil).JSON(t, &list)
	if list.Total != 0 {
		t.Errorf("pending list after verification has %d accounts, want 0", list.Total)
	}
}

func TestAdminCreatesCoordinatorsOnly(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{config: withAdmin})
	_, coordTokens := e.coordinator(t, uniqueEmail(t, "coord"))
	applicant := e.signup(t, uniqueEmail(t, "app"), "applicant")
	appTokens := e.login(t, applicant.Email, goodPassword)
	body := map[string]string{"email": uniqueEmail(t, "x"), "password": goodPassword, "name": "X"}
	for who, tok := range map[string]string{"coordinator": coordTokens.AccessToken, "applicant": appTokens.AccessToken} {
		if r := e.do(t, "POST", "/api/v1/auth/users", tok, body); r.Status != http.StatusForbidden {
			t.Errorf("create user as %s = %d, want 403", who, r.Status)
		}
	}
	if r := e.do(t, "POST", "/api/v1/auth/users", "", body); r.Status != http.StatusUnauthorized {
		t.Errorf("create user without a token = %d, want 401", r.Status)
	}
	admin := e.login(t, adminEmail, adminPassword)
	withRole := map[string]string{"email": uniqueEmail(t, "y"), "password": goodPassword, "name": "Y", "role": "admin"}
	if r := e.do(t, "POST", "/api/v1/auth/users", admin.AccessToken, withRole); r.Status != http.StatusBadRequest {
		t.Errorf("create user with a role field = %d, want 400 (the role is not the caller's to set)", r.Status)
	}
}

func TestAdminBootstrapIsIdempotentAcrossReplicas(t *testing.T) {
	t.Parallel()
	first := start(t, envOptions{config: withAdmin})
	second := start(t, envOptions{config: withAdmin, natsURL: first.NATSURL, dbPrefix: first.Prefix})
	third := start(t, envOptions{config: withAdmin, natsURL: first.NATSURL, dbPrefix: first.Prefix})
	n, err := first.DB.Collection("users").CountDocuments(context.Background(), bson.D{{Key: "role", Value: "admin"}})
	if err != nil || n != 1 {
		t.Fatalf("admins after three starts = %d, %v; want 1", n, err)
	}
	for _, e := range []*env{first, second, third} {
		tk := e.login(t, adminEmail, adminPassword)
		var me user
		e.do(t, "GET", "/api/v1/auth/me", tk.AccessToken, nil).JSON(t, &me)
		if me.Role != "admin" || me.Status != "active" {
			t.Errorf("admin /auth/me = %+v", me)
		}
	}
}

func TestDeleteMeErasesTheAccount(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	email := uniqueEmail(t, "leaving")
	u := e.signup(t, email, "applicant")
	tk := e.login(t, email, goodPassword)
	evs := e.identityEvents(t)

	if r := e.do(t, "DELETE", "/api/v1/auth/me", tk.AccessToken, nil); r.Status != http.StatusNoContent {
		t.Fatalf("DELETE /auth/me = %d %s, want 204", r.Status, r.Body)
	}
	ev := waitEvent(t, evs, events.UserDeleted, u.ID)
	var d identity.UserDeleted
	if err := ev.Decode(&d); err != nil {
		t.Fatal(err)
	}
	if ev.Type != events.UserDeleted || ev.Subject != u.ID || ev.AggregateVersion != 2 || d.UserID != u.ID || d.Role != "applicant" {
		t.Errorf("event = %s %s v%d %+v, want user.deleted v2", ev.Type, ev.Subject, ev.AggregateVersion, d)
	}
	if strings.Contains(string(ev.Data), email) {
		t.Errorf("user.deleted carries the e-mail address: %s", ev.Data)
	}
	// The tombstone goes once the event is out; nothing about the user stays.
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := e.DB.Collection("users").CountDocuments(context.Background(), bson.D{{Key: "_id", Value: u.ID}})
		if err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the account document is still there (%d, %v)", n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n, _ := e.DB.Collection("sessions").CountDocuments(context.Background(), bson.D{{Key: "userId", Value: u.ID}}); n != 0 {
		t.Errorf("%d sessions of the erased account remain", n)
	}

	// The erased account's access token fails at once (issue 16, finding
	// 1), where it used to reach the handler and get 404.
	deadline = time.Now().Add(5 * time.Second)
	for {
		r := e.do(t, "GET", "/api/v1/auth/me", tk.AccessToken, nil)
		if r.Status == http.StatusUnauthorized {
			break
		}
		if r.Status != http.StatusNotFound || time.Now().After(deadline) {
			t.Errorf("me after erasure = %d, want 401 within 5 s", r.Status)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r := e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": tk.RefreshToken}); r.Status != http.StatusUnauthorized {
		t.Errorf("refresh after erasure = %d, want 401", r.Status)
	}
	if r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": goodPassword}); r.Status != http.StatusUnauthorized {
		t.Errorf("login after erasure = %d, want 401", r.Status)
	}
	if again := e.signup(t, email, "applicant"); again.ID == u.ID {
		t.Errorf("the address came back with the old id")
	}
}

func TestLoginDoesNotTellWhichPartIsWrong(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	email := uniqueEmail(t, "quiet")
	e.signup(t, email, "applicant")
	wrongPw := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": "not the password"})
	noUser := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "nobody@example.org", "password": "not the password"})
	a, b := wrongPw.Problem(t), noUser.Problem(t)
	if wrongPw.Status != http.StatusUnauthorized || noUser.Status != http.StatusUnauthorized || a.Code != b.Code || a.Detail != b.Detail {
		t.Errorf("wrong password = %d %s; unknown account = %d %s; want the same 401", wrongPw.Status, wrongPw.Body, noUser.Status, noUser.Body)
	}
}
