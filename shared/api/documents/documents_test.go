package documents

import (
	"encoding/json"
	"testing"
	"time"
)

// The wire names are fixed by DESIGN.md §3; the service, the UI and the
// tests all use these types, so a renamed tag is caught here.

func wire(t *testing.T, v any, want string) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != want {
		t.Errorf("json.Marshal(%T) =\n%s\nwant\n%s", v, raw, want)
	}
}

func TestDocumentWire(t *testing.T) {
	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	wire(t, Document{ID: "d1", Kind: KindCV, Title: "CV", ContentType: "application/pdf", Size: 9, SHA256: "ab", UploadedAt: at},
		`{"id":"d1","kind":"cv","title":"CV","contentType":"application/pdf","size":9,"sha256":"ab","uploadedAt":"2027-01-02T03:04:05Z"}`)
}

func TestReferenceWire(t *testing.T) {
	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	wire(t, ReferenceRequest{RefereeName: "Dr K", RefereeEmail: "k@example.org", Relation: "supervisor", Waived: true},
		`{"refereeName":"Dr K","refereeEmail":"k@example.org","relation":"supervisor","waived":true}`)
	wire(t, ReferenceCreated{Reference: Reference{ID: "r1", RefereeName: "Dr K", RefereeEmail: "k@example.org",
		Relation: "supervisor", Language: "ja", Status: StatusRequested, RequestedAt: at, ExpiresAt: at}, UploadLink: "/references/upload/x"},
		`{"id":"r1","refereeName":"Dr K","refereeEmail":"k@example.org","relation":"supervisor","waived":false,"language":"ja",`+
			`"status":"requested","requestedAt":"2027-01-02T03:04:05Z","expiresAt":"2027-01-02T03:04:05Z","uploadLink":"/references/upload/x","emailed":false}`)
}

func TestUploadRoutesTakeAFileAndNoMore(t *testing.T) {
	for _, e := range []struct {
		name  string
		limit int64
	}{{"Upload", Routes.Upload.BodyLimit}, {"RefereeUpload", Routes.RefereeUpload.BodyLimit}} {
		if e.limit <= MaxFileSize || e.limit > 2*MaxFileSize {
			t.Errorf("Routes.%s.BodyLimit = %d, want a little over MaxFileSize (%d)", e.name, e.limit, MaxFileSize)
		}
	}
	if Routes.Mine.BodyLimit != 0 {
		t.Errorf("Routes.Mine.BodyLimit = %d, want the default", Routes.Mine.BodyLimit)
	}
}
