package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The connect files tell a service run as its own process (split mode,
// scripts/run-split.sh) how to reach the embedded servers of a data
// folder: DATA/connect/<service>.env holds, as shell exports, NATS_URL with
// that service's NATS user and password and MONGODB_URI with FerretDB's
// socket. The folder is 0700 and each file 0600: they are the keys to the
// platform's bus and store.
const connectFolder = "connect"

func connectDir(dataDir string) string { return filepath.Join(dataDir, connectFolder) }

// writeConnectFiles writes one file per NATS user.
func writeConnectFiles(dataDir string, natsURLs map[string]string, mongoURI string) error {
	dir := connectDir(dataDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("connect files: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("connect files: %w", err)
	}
	for name, url := range natsURLs {
		if strings.ContainsAny(url+mongoURI, "'\n") {
			return fmt.Errorf("connect files: a URL holds a quote or a line break")
		}
		body := fmt.Sprintf("# How the %s service reaches the embedded NATS and FerretDB of this data folder.\n"+
			"# Written at every start; keep it private.\nexport NATS_URL='%s'\nexport MONGODB_URI='%s'\n", name, url, mongoURI)
		path := filepath.Join(dir, name+".env")
		tmp := path + ".tmp"
		_ = os.Remove(tmp)
		if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
			return fmt.Errorf("connect files: %w", err)
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("connect files: %w", err)
		}
	}
	return nil
}
