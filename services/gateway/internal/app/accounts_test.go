package app_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/keys"
	"github.com/talentbridge/platform/services/gateway/internal/mongostore"
	"github.com/talentbridge/platform/services/gateway/internal/password"
	"github.com/talentbridge/platform/services/gateway/internal/token"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
)

const pw = "violet kettle drums at noon"

func accounts(t *testing.T, hasher *password.Hasher) (*app.Accounts, *mongo.Database) {
	t.Helper()
	ctx := context.Background()
	db := mongotest.DB(t)
	if err := mongodb.EnsureIndexes(ctx, db, mongostore.Indexes); err != nil {
		t.Fatal(err)
	}
	store := mongostore.New(db, outbox.Config{})
	_, priv, _ := ed25519.GenerateKey(nil)
	ring, err := keys.Open(keys.Options{SigningKey: base64.StdEncoding.EncodeToString(priv.Seed()), Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.NewAccounts(ctx, store, store, store, hasher, token.NewIssuer(ring, 0, nil), slog.New(slog.DiscardHandler), app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return a, db
}

func storedUser(t *testing.T, db *mongo.Database, id string) bson.M {
	t.Helper()
	var doc bson.M
	if err := db.Collection(mongostore.UsersCollection).FindOne(context.Background(), bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestLoginUpgradesAWeakHashWithoutANewVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	weak := password.NewHasher(password.Params{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 0)
	old, db := accounts(t, weak)
	u, err := old.Signup(ctx, app.SignupInput{Email: "asha@example.org", Password: pw, Role: domain.RoleApplicant, Name: "Asha"})
	if err != nil {
		t.Fatal(err)
	}
	if h := storedUser(t, db, u.ID)["passwordHash"].(string); !strings.Contains(h, "m=8192,t=1") {
		t.Fatalf("weak hash = %q", h)
	}
	// The same database, now served with the default parameters.
	store := mongostore.New(db, outbox.Config{})
	_, priv, _ := ed25519.GenerateKey(nil)
	ring, _ := keys.Open(keys.Options{SigningKey: base64.StdEncoding.EncodeToString(priv.Seed()), Lifetime: time.Hour})
	current, err := app.NewAccounts(ctx, store, store, store, password.NewHasher(password.Default, 0), token.NewIssuer(ring, 0, nil),
		slog.New(slog.DiscardHandler), app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := current.Login(ctx, "asha@example.org", pw, "192.0.2.1"); err != nil {
		t.Fatalf("Login with the weak hash = %v", err)
	}
	doc := storedUser(t, db, u.ID)
	h := doc["passwordHash"].(string)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("after login the hash is %q, want the default parameters", h)
	}
	if v := doc["version"]; v != int64(1) && v != int32(1) {
		t.Errorf("version after rehash = %v, want 1 (no event-carrying change)", v)
	}
	if _, err := current.Login(ctx, "asha@example.org", pw, "192.0.2.1"); err != nil {
		t.Errorf("Login with the upgraded hash = %v", err)
	}
}

func TestConcurrentVerificationsPublishOneEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, db := accounts(t, password.NewHasher(password.Default, 0))
	host, err := a.Signup(ctx, app.SignupInput{Email: "h@example.org", Password: pw, Role: domain.RoleHost, Name: "H", Organization: "Org"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = a.VerifyHost(ctx, "coordinator", host.ID)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil && !errors.Is(err, domain.ErrConflict) {
			t.Errorf("VerifyHost #%d = %v", i, err)
		}
	}
	var doc struct {
		Status string `bson:"status"`
		Outbox []struct {
			Subject string `bson:"subject"`
		} `bson:"outbox"`
	}
	if err := db.Collection(mongostore.UsersCollection).FindOne(ctx, bson.D{{Key: "_id", Value: host.ID}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	verified := 0
	for _, e := range doc.Outbox {
		if e.Subject == events.UserVerified {
			verified++
		}
	}
	if verified != 1 || doc.Status != "active" {
		t.Errorf("after 4 concurrent verifications: %d user.verified events, status %v; want 1 and active", verified, doc.Status)
	}
}

func TestConcurrentRefreshesOfOneTokenLeaveNoUsableSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := accounts(t, password.NewHasher(password.Default, 0))
	if _, err := a.Signup(ctx, app.SignupInput{Email: "a@example.org", Password: pw, Role: domain.RoleApplicant, Name: "A"}); err != nil {
		t.Fatal(err)
	}
	tk, err := a.Login(ctx, "a@example.org", pw, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]*app.Tokens, 5)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = a.Refresh(ctx, tk.RefreshToken)
		}()
	}
	wg.Wait()
	wins := 0
	for _, r := range results {
		if r != nil {
			wins++
			// The one exchange that won is in a session that the others'
			// reuse has revoked.
			if _, err := a.Refresh(ctx, r.RefreshToken); !errors.Is(err, domain.ErrSessionInvalid) {
				t.Errorf("Refresh(winner's token) after concurrent reuse = %v, want ErrSessionInvalid", err)
			}
		}
	}
	if wins > 1 {
		t.Errorf("%d of 5 concurrent refreshes of one token succeeded, want at most 1", wins)
	}
}

func TestBootstrapAdmin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, db := accounts(t, password.NewHasher(password.Default, 0))
	if _, err := a.Signup(ctx, app.SignupInput{Email: "taken@example.org", Password: pw, Role: domain.RoleApplicant, Name: "A"}); err != nil {
		t.Fatal(err)
	}
	if err := a.BootstrapAdmin(ctx, "Taken@example.org", pw); err == nil || !strings.Contains(err.Error(), "applicant") {
		t.Errorf("BootstrapAdmin(an applicant's address) = %v, want an error naming the conflict", err)
	}
	if err := a.BootstrapAdmin(ctx, "root@example.org", "password1234"); err == nil {
		t.Errorf("BootstrapAdmin(common password) = nil, want the policy to refuse it")
	}
	for range 2 {
		if err := a.BootstrapAdmin(ctx, "root@example.org", pw); err != nil {
			t.Fatalf("BootstrapAdmin = %v", err)
		}
	}
	if err := a.BootstrapAdmin(ctx, "root@example.org", "another long passphrase"); err != nil {
		t.Fatalf("BootstrapAdmin with a changed password = %v", err)
	}
	n, _ := db.Collection(mongostore.UsersCollection).CountDocuments(ctx, bson.D{{Key: "role", Value: "admin"}})
	if n != 1 {
		t.Errorf("admins = %d, want 1", n)
	}
	if _, err := a.Login(ctx, "root@example.org", pw, "192.0.2.2"); err != nil {
		t.Errorf("admin login with the first password = %v (the stored password is kept)", err)
	}
}

// TestEmailsAreNormalisedAndLookAlikesRefused is issue 16, finding 6:
// addresses are stored NFKC, lower-cased, with a punycode domain; format
// characters in an address or a name are refused; accounts stored in the
// older form (lower case only) still sign in.
func TestEmailsAreNormalisedAndLookAlikesRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, db := accounts(t, password.NewHasher(password.Params{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 0))

	u, err := a.Signup(ctx, app.SignupInput{Email: "Asha@Bücher.Example", Password: pw, Role: domain.RoleApplicant, Name: "Asha"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "asha@xn--bcher-kva.example" || storedUser(t, db, u.ID)["email"] != u.Email {
		t.Errorf("stored e-mail = %q / %v, want asha@xn--bcher-kva.example", u.Email, storedUser(t, db, u.ID)["email"])
	}
	for _, spelling := range []string{"asha@BÜCHER.example", "ASHA@xn--bcher-kva.example", "ａｓｈａ@bücher.example"} {
		if _, err := a.Login(ctx, spelling, pw, "192.0.2.7"); err != nil {
			t.Errorf("Login(%q) = %v, want the account", spelling, err)
		}
	}

	for _, in := range []app.SignupInput{
		{Email: "asha\u200b@bücher.example", Password: pw, Role: domain.RoleApplicant, Name: "Asha"},
		{Email: "admin@example.org", Password: pw, Role: domain.RoleApplicant, Name: "\u202eevil\u202c Admin"},
	} {
		if _, err := a.Signup(ctx, in); len(domain.ValidationErrors(err)) != 1 {
			t.Errorf("Signup(%q, %q) = %v, want one validation problem", in.Email, in.Name, err)
		}
	}

	// An account made before this normalisation keeps its stored form.
	old, err := a.Signup(ctx, app.SignupInput{Email: "ravi@example.org", Password: pw, Role: domain.RoleApplicant, Name: "Ravi"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Collection(mongostore.UsersCollection).UpdateOne(ctx, bson.D{{Key: "_id", Value: old.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "email", Value: "ravi@bücher.example"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Login(ctx, "Ravi@Bücher.example", pw, "192.0.2.8"); err != nil {
		t.Errorf("Login of an account stored in the older form = %v", err)
	}
}

// However many guesses for one account arrive at once from one address,
// no more than the limit have their password checked; and the owner's
// right password, checked afterwards from an address they used before,
// still gets in.
func TestConcurrentGuessesAreLimited(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := accounts(t, password.NewHasher(password.Params{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 0))
	if _, err := a.Signup(ctx, app.SignupInput{Email: "owner@example.org", Password: pw, Role: domain.RoleApplicant, Name: "Owner", ClientIP: "192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Login(ctx, "owner@example.org", pw, "192.0.2.1"); err != nil {
		t.Fatalf("first sign-in = %v", err)
	}
	const guesses = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	checked, limited := 0, 0
	for i := range guesses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.Login(ctx, "owner@example.org", "wrong guess "+strings.Repeat("x", i), "203.0.113.5")
			var rl *domain.RateLimitedError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, domain.ErrInvalidCredentials):
				checked++
			case errors.As(err, &rl):
				limited++
			default:
				t.Errorf("guess = %v", err)
			}
		}()
	}
	wg.Wait()
	if checked > 5 || checked+limited != guesses {
		t.Errorf("%d guesses checked, %d limited; want at most 5 checked", checked, limited)
	}
	if _, err := a.Login(ctx, "owner@example.org", pw, "192.0.2.1"); err != nil {
		t.Errorf("owner from their address after the guesses = %v, want a session", err)
	}
}
