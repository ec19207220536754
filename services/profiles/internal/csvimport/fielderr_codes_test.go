package csvimport

import (
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/fielderr"
)

// TestEveryRowProblemHasACode parses bad files and checks that every row
// problem names its line and carries a known code with only its params.
func TestEveryRowProblemHasACode(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	header := strings.Join(Required, ",")
	files := []string{
		"",
		"nope,email,email\n",
		header + "\n",
		header + "\n\"broken\n",
		header + "\na,b\n",
		"email,name,kind,homeCountry,degreeLevel,birthYear,dataProcessing,languages\n" +
			"x,A,student,IN,master,19x1,maybe,en\n" +
			"a@example.org,,alien,US,master,1800,true,en:Z9\n" +
			"a@example.org,B,student,IN,master,2001,true,\n",
	}
	seen := map[fielderr.Code]bool{}
	for i, f := range files {
		_, problems, err := Parse(strings.NewReader(f), now)
		if err != nil || len(problems) == 0 {
			t.Fatalf("file %d: %d problems, %v; want problems", i, len(problems), err)
		}
		for _, p := range problems {
			seen[p.Code] = true
			if p.Line < 1 {
				t.Errorf("file %d: %+v names no line", i, p)
			}
			if err := fielderr.Check(p); err != nil {
				t.Errorf("file %d: %v", i, err)
			}
		}
	}
	for _, c := range []fielderr.Code{fielderr.EmptyFile, fielderr.UnknownField, fielderr.Duplicate, fielderr.MissingColumn,
		fielderr.Format, fielderr.Columns, fielderr.Email, fielderr.OneOf, fielderr.Required} {
		if !seen[c] {
			t.Errorf("no bad file in the corpus gave code %s", c)
		}
	}
}
