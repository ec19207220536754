package embedded

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/talentbridge/platform/shared/natsauth"
)

// CredentialsFile is where, inside NATSOptions.StoreDir, the embedded NATS
// keeps the password of each user: made at the first start (mode 0600) and
// read again at every later one, so a service that kept its URL can still
// connect after a restart.
const CredentialsFile = "users.json"

// TestUser is the user NATSOptions.TestUser adds: allowed everything, for
// tests that act as several services on one connection.
const TestUser = "tester"

// credentials maps a user name to its password.
type credentials map[string]string

// loadCredentials reads the store's credentials file, adds a password for
// every name that has none yet and writes the file back if it changed.
func loadCredentials(storeDir string, names []string) (credentials, error) {
	if err := os.Chmod(storeDir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(storeDir, CredentialsFile)
	creds := credentials{}
	raw, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(raw, &creds); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		// Whatever made it looser, only this user reads it.
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, err
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return nil, err
	}
	changed := false
	for _, n := range names {
		if creds[n] != "" {
			continue
		}
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		// URL-safe, so the password goes into a nats:// URL as it is.
		creds[n] = base64.RawURLEncoding.EncodeToString(b)
		changed = true
	}
	if !changed {
		return creds, nil
	}
	out, err := json.MarshalIndent(creds, "", "  ")
	if err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, out, 0o600); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return creds, nil
}

// natsUsers turns the platform's users (shared/natsauth) and their
// passwords into the server's users.
func natsUsers(creds credentials, testUser bool) ([]*server.User, error) {
	var users []*server.User
	for _, name := range natsauth.Names() {
		p, _ := natsauth.For(name)
		users = append(users, &server.User{
			Username: name,
			Password: creds[name],
			Permissions: &server.Permissions{
				Publish:   &server.SubjectPermission{Allow: p.PublishAllow, Deny: p.PublishDeny},
				Subscribe: &server.SubjectPermission{Allow: p.SubscribeAllow},
				// Answering a request: one reply per request received.
				Response: &server.ResponsePermission{MaxMsgs: 1, Expires: 2 * time.Minute},
			},
		})
	}
	if testUser {
		users = append(users, &server.User{Username: TestUser, Password: creds[TestUser]})
	}
	for _, u := range users {
		if u.Password == "" {
			return nil, fmt.Errorf("no password for NATS user %s", u.Username)
		}
	}
	return users, nil
}

// userURL puts a user's name and password into a client URL.
func userURL(clientURL, user, password string) string {
	u, err := url.Parse(clientURL)
	if err != nil {
		return clientURL
	}
	u.User = url.UserPassword(user, password)
	return u.String()
}
