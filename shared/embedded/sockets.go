package embedded

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// The embedded FerretDB opens no TCP port: FerretDB itself and the
// serializer in front of it (serialize.go) listen on Unix sockets in a
// folder only this user may enter (mode 0700), so no other local user, and
// nothing that can only reach loopback ports, gets at the store.
//
// A socket's path is limited to about 104 bytes (macOS) or 108 (Linux).
// The sockets live in Dir/run when that path is short enough, otherwise
// in a folder named after a hash of Dir in the system temporary folder;
// either way one Dir always gives the same path, so a restarted server is
// found where it was.
const (
	socketRunDir = "run"
	backendSock  = "f.sock"
	proxySock    = "m.sock"
	// maxSocketPath leaves room under the smallest limit.
	maxSocketPath = 100
)

// socketDir returns the private folder for the sockets of the store in
// dir, creating it if needed.
func socketDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	d := filepath.Join(abs, socketRunDir)
	if len(filepath.Join(d, proxySock)) > maxSocketPath {
		sum := sha256.Sum256([]byte(abs))
		d = filepath.Join(os.TempDir(), "tb-"+hex.EncodeToString(sum[:6]))
		if len(filepath.Join(d, proxySock)) > maxSocketPath {
			d = filepath.Join("/tmp", "tb-"+hex.EncodeToString(sum[:6]))
		}
	}
	if err := privateDir(d); err != nil {
		return "", fmt.Errorf("socket folder %s: %w", d, err)
	}
	return d, nil
}

// privateDir makes d (if missing) and makes sure it is a real folder of
// this user that no one else may enter.
func privateDir(d string) error {
	if err := os.MkdirAll(d, 0o700); err != nil {
		return err
	}
	fi, err := os.Lstat(d)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return errors.New("not a folder")
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("owned by uid %d, not by this user", st.Uid)
	}
	return os.Chmod(d, 0o700)
}

// MongoURI is the mongodb:// URI of the embedded FerretDB whose files are
// in dir (FerretOptions.Dir): its socket, with every "/" escaped as the
// MongoDB URI format requires. It lets another process of the same user
// find the store.
func MongoURI(dir string) (string, error) {
	d, err := socketDir(dir)
	if err != nil {
		return "", err
	}
	return socketURI(filepath.Join(d, proxySock)), nil
}

// A "+" is escaped too: the driver unescapes the host as a query value,
// where "+" means a space.
func socketURI(path string) string {
	return "mongodb://" + strings.ReplaceAll(url.PathEscape(path), "+", "%2B") + "/"
}

// clearSocket removes a socket file a stopped server left behind, so the
// next listener can bind; anything that is not a socket is left alone.
func clearSocket(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Mode()&os.ModeSocket == 0 {
		return fmt.Errorf("%s exists and is not a socket", path)
	}
	return os.Remove(path)
}
