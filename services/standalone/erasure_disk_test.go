package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestErasureReachesTheDisk looks for an erased applicant the way an auditor
// with a copy of the data folder would: byte by byte, in every file the
// embedded servers keep (FerretDB's SQLite databases with their -wal and
// -shm files, the NATS JetStream store), within a minute of the erasure
// while the platform runs, and again after a clean stop.
func TestErasureReachesTheDisk(t *testing.T) {
	p := startInProcess(t, "TB_ADMIN_EMAIL", matchAdminEmail, "TB_ADMIN_PASSWORD", matchAdminPassword,
		"TB_LOGIN_LIMIT", "1000")
	f := &matchFlow{t: t, base: p.URL}
	host, programID := f.hostedProgram("disk-erasure.example", "host", "Host", "Kyushu University", "Disk erasure program", "Fukuoka")

	// The person. Every string is unique to them; the statements carry
	// characters JSON escapes, so that both spellings are looked for.
	email := "ishaan.brackenridge.6093@disk-erasure.example"
	name, newName := "Ishaan Brackenridge", "Ishaan Brackenridge-Varma"
	statement := "Flood & drought <telemetry> on solar-kite-6093 relays."
	newStatement := "Now: rain-gauge-lattice-8812 & \"tidal\" sensing."
	_, tok := f.signup(email, "applicant", name, "")
	body := matchProfileBody(name, "IN")
	body["statement"] = statement
	f.must(http.MethodPost, "/profiles", tok, body, http.StatusCreated, nil)
	body["name"], body["statement"] = newName, newStatement
	f.must(http.MethodPut, "/profiles/me", tok, body, http.StatusOK, nil)
	f.eventually(http.MethodPost, "/applications", tok, map[string]string{"programId": programID}, http.StatusCreated, nil)
	// Matching holds the applicant once the export shows the application.
	f.waitFor("the export to hold the application", func() error {
		r := f.call(http.MethodGet, "/profiles/me/export", tok, nil)
		if r.status != http.StatusOK {
			return fmt.Errorf("export = %d %s", r.status, r.body)
		}
		if !bytes.Contains(r.body, []byte(programID)) || !bytes.Contains(r.body, []byte("rain-gauge-lattice-8812")) {
			return fmt.Errorf("export lacks the application or the statement: %.400s", r.body)
		}
		return nil
	})

	// The unique words alone too, whatever a store does to the rest.
	needles := diskNeedles(email, name, newName, statement, newStatement,
		"Brackenridge", "solar-kite-6093", "rain-gauge-lattice-8812", "6093@disk-erasure")
	// The scan has to see the person while they are stored, in each
	// service's database, or finding nothing afterwards proves nothing.
	before := onDisk(t, p.DataDir, needles)
	for _, want := range []string{"identity.sqlite", "profiles.sqlite", "matching.sqlite"} {
		if !strings.Contains(strings.Join(before, "\n"), "in ferretdb/"+want) {
			t.Fatalf("before the erasure the scan finds nothing in %s; it found: %s", want, strings.Join(before, ", "))
		}
	}
	t.Logf("before the erasure: %d hits, e.g. %s", len(before), strings.Join(before[:min(4, len(before))], ", "))

	if r := f.call(http.MethodDelete, "/auth/me", tok, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE /auth/me = %d %s", r.status, r.body)
	}
	began := time.Now()
	for left := onDisk(t, p.DataDir, needles); len(left) > 0; left = onDisk(t, p.DataDir, needles) {
		if time.Since(began) > time.Minute {
			t.Fatalf("a minute after the erasure, still on disk: %s", strings.Join(left, ", "))
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Logf("nothing of the person on disk %v after the erasure", time.Since(began).Round(100*time.Millisecond))

	// The erasure went through the services, not around them: the account
	// is gone and the host still is there.
	if r := f.call(http.MethodPost, "/auth/login", "", map[string]string{"email": email, "password": matchPassword}); r.status == http.StatusOK {
		t.Fatalf("the erased account still signs in: %s", r.body)
	}
	f.must(http.MethodGet, "/programs/"+programID, host, nil, http.StatusOK, nil)

	p.Stop()
	if left := onDisk(t, p.DataDir, needles); len(left) > 0 {
		t.Fatalf("after a clean stop, on disk: %s", strings.Join(left, ", "))
	}
}

// diskNeedles returns each string as written and as JSON spells it (the
// stores keep JSON and BSON; JSON escapes &, <, > and quotes).
func diskNeedles(strs ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range strs {
		raw, _ := json.Marshal(s)
		for _, n := range []string{s, string(raw[1 : len(raw)-1])} {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// onDisk reads every file under dir and returns "needle in file" for each
// needle a file holds.
func onDisk(t *testing.T, dir string, needles []string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if os.IsNotExist(err) {
				return nil // a file removed while we walk
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil // the store's Unix sockets hold no data
		}
		b, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				found = append(found, fmt.Sprintf("%q in %s", n, rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(found)
	return found
}
