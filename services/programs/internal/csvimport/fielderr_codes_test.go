package csvimport

import (
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/fielderr"
)

// TestEveryRowErrorHasACode parses bad files and checks that every row
// error names its line and carries a known code with only its params.
func TestEveryRowErrorHasACode(t *testing.T) {
	header := strings.Join(Columns, ",")
	row := func(set map[string]string) string {
		vals := make([]string, len(Columns))
		for i, c := range Columns {
			vals[i] = set[c]
		}
		return strings.Join(vals, ",")
	}
	files := []string{
		"",
		",nope,title,title\n",
		header + "\n",
		header + "\n\"broken\n",
		header + "\na,b\n",
		header + "\n" + row(map[string]string{"seats": "many", "stipendCurrency": "JPY", "languages": "en"}) + "\n",
	}
	seen := map[fielderr.Code]bool{}
	for i, f := range files {
		_, errs := Parse(strings.NewReader(f))
		if len(errs) == 0 {
			t.Fatalf("file %d: no errors", i)
		}
		for _, e := range errs {
			seen[e.Code] = true
			if e.Line < 1 {
				t.Errorf("file %d: %+v names no line", i, e)
			}
			if err := fielderr.Check(e); err != nil {
				t.Errorf("file %d: %v", i, err)
			}
		}
	}
	for _, c := range []fielderr.Code{fielderr.EmptyFile, fielderr.UnknownField, fielderr.Duplicate, fielderr.MissingColumn,
		fielderr.Format, fielderr.Columns, fielderr.Required} {
		if !seen[c] {
			t.Errorf("no bad file in the corpus gave code %s", c)
		}
	}
}
