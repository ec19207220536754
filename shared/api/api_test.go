package api

import (
	"encoding/json"
	"testing"
)

// The list envelope and the import problem are fixed by DESIGN.md §3-§4.

func TestPageWire(t *testing.T) {
	raw, err := json.Marshal(Page[string]{Items: []string{"a"}, Page: 2, PageSize: 1, Total: 57})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"items":["a"],"page":2,"pageSize":1,"total":57}`; string(raw) != want {
		t.Errorf("json.Marshal(Page) = %s, want %s", raw, want)
	}
}

func TestImportProblemWire(t *testing.T) {
	raw, err := json.Marshal(ImportProblem{Type: "x", Title: "T", Status: 422, Code: "import_rejected", Detail: "d",
		Errors: []RowError{{Line: 2, Field: "email", Code: "email", Reason: "r"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"x","title":"T","status":422,"code":"import_rejected","detail":"d","errors":[{"line":2,"field":"email","code":"email","reason":"r"}]}`
	if string(raw) != want {
		t.Errorf("json.Marshal(ImportProblem) = %s, want %s", raw, want)
	}
}
