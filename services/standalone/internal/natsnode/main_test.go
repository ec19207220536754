package main

import (
	"bytes"
	"strings"
	"testing"
)

// Bad flags end with one line on stderr and exit status 2, before any
// server starts.
func TestBadFlagsExitTwo(t *testing.T) {
	store := t.TempDir()
	cases := map[string][]string{
		"no name":      {"-listen", "127.0.0.1:4222", "-cluster", "127.0.0.1:6222", "-store", store},
		"no store":     {"-name", "n1", "-listen", "127.0.0.1:4222", "-cluster", "127.0.0.1:6222"},
		"bad port":     {"-name", "n1", "-listen", "127.0.0.1:http", "-cluster", "127.0.0.1:6222", "-store", store},
		"bad monitor":  {"-name", "n1", "-listen", "127.0.0.1:4222", "-cluster", "127.0.0.1:6222", "-store", store, "-monitor", "8222"},
		"unknown flag": {"-name", "n1", "-bogus"},
		"extra arg":    {"-name", "n1", "-listen", "127.0.0.1:4222", "-cluster", "127.0.0.1:6222", "-store", store, "now"},
	}
	for name, args := range cases {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%s: exit %d, want 2 (stderr %q)", name, code, errb.String())
		}
		msg := errb.String()
		if !strings.HasPrefix(msg, "natsnode: ") || strings.Count(msg, "\n") != 1 {
			t.Errorf("%s: stderr %q, want one line starting natsnode:", name, msg)
		}
	}
}

// Good flags become the options of a cluster member with JetStream, fsync
// on every write and the other nodes as routes.
func TestFlagsBecomeClusterOptions(t *testing.T) {
	n, err := parse([]string{"-name", "n2", "-listen", "127.0.0.1:4223", "-cluster", "127.0.0.1:6223",
		"-routes", "nats-route://127.0.0.1:6222,nats-route://127.0.0.1:6224", "-store", "/tmp/x", "-monitor", "127.0.0.1:8223"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := n.options()
	if err != nil {
		t.Fatal(err)
	}
	if o.ServerName != "n2" || o.Port != 4223 || o.Cluster.Port != 6223 || o.Cluster.Name != "tb-cluster" ||
		len(o.Routes) != 2 || o.Routes[1].Port() != "6224" || !o.JetStream || !o.SyncAlways || o.HTTPPort != 8223 || o.StoreDir != "/tmp/x" {
		t.Errorf("options = %+v", o)
	}
}
