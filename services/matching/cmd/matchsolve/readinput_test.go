package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A regular file on stdin is mapped rather than read (mapFile); the answer, and the
// answer to bad input, must be what the same bytes give through a pipe-like reader.
func TestRunFileStdinMatchesReader(t *testing.T) {
	inputs := map[string]string{
		"good": `{"applicants": [{"id": "a\"1", "prefs": ["p", "q"]}, {"id": "b", "prefs": ["p"]}],
		          "programs": [{"id": "p", "capacity": 1, "prefs": ["b", "a\"1"]}, {"id": "q", "capacity": 1, "prefs": ["a\"1"]}]}`,
		"bad":   `{"applicants": [{"id": "a", "prefs": ["nowhere"]}], "programs": []}`,
		"empty": ``,
	}
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "instance.json")
			if err := os.WriteFile(path, []byte(input), 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var out, errOut bytes.Buffer
			code := run([]string{"--explain"}, f, &out, &errOut)
			wantCode, wantOut, wantErr := runString([]string{"--explain"}, input)
			if code != wantCode || out.String() != wantOut || errOut.String() != wantErr {
				t.Fatalf("from a file: %d %q %q; from a reader: %d %q %q", code, out.String(), errOut.String(), wantCode, wantOut, wantErr)
			}
			if name == "good" && !strings.Contains(wantOut, `"blockingPairs": 0`) {
				t.Fatalf("good input gave %q", wantOut)
			}
			if name != "good" && (wantCode != exitBadInput || wantOut != "") {
				t.Fatalf("%s input: exit %d, stdout %q; want exit 2 and nothing", name, wantCode, wantOut)
			}
		})
	}
}

// readInput returns a regular file's bytes as they are (mapped on Linux).
func TestReadInputRegularFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x")
	want := []byte(`{"applicants": []}`)
	if err := os.WriteFile(path, want, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, release, err := readInput(f)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, want) {
		t.Fatalf("readInput = %q, want %q", data, want)
	}
	release()
}
