package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/natsauth"
)

// loadConnect reads DATA/connect/<user>.env as a service process would:
// the NATS URL with that user's credentials and the FerretDB URI.
func loadConnect(dataDir, user string) (natsURL, mongoURI string, err error) {
	f, err := os.Open(filepath.Join(connectDir(dataDir), user+".env"))
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		v = strings.Trim(v, "'")
		switch k {
		case "NATS_URL":
			natsURL = v
		case "MONGODB_URI":
			mongoURI = v
		}
	}
	if natsURL == "" || mongoURI == "" {
		return "", "", fmt.Errorf("%s.env lacks NATS_URL or MONGODB_URI", user)
	}
	return natsURL, mongoURI, sc.Err()
}

// TestConnectFilesArePrivate checks what --infra-only leaves for the
// service processes: one file per NATS user, each with that user's
// credentials, readable by this user alone.
func TestConnectFilesArePrivate(t *testing.T) {
	dir := t.TempDir()
	urls := map[string]string{}
	for _, n := range natsauth.Names() {
		urls[n] = "nats://" + n + ":pw-" + n + "@127.0.0.1:4222"
	}
	if err := writeConnectFiles(dir, urls, "mongodb://%2Ftmp%2Fm.sock/"); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(connectDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("connect folder mode %v, want 0700", fi.Mode().Perm())
	}
	for _, n := range natsauth.Names() {
		fi, err := os.Stat(filepath.Join(connectDir(dir), n+".env"))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s.env mode %v, want 0600", n, fi.Mode().Perm())
		}
		nu, mu, err := loadConnect(dir, n)
		if err != nil {
			t.Fatal(err)
		}
		if nu != urls[n] || mu != "mongodb://%2Ftmp%2Fm.sock/" {
			t.Errorf("%s.env = %q, %q", n, nu, mu)
		}
	}
	if err := writeConnectFiles(dir, map[string]string{"x": "nats://a'b@h:1"}, "m"); err == nil {
		t.Error("a URL with a quote was written into a shell file")
	}
}
