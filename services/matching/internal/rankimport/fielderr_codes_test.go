package rankimport

import (
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/fielderr"
)

// TestEveryProblemHasACode parses bad rank files and checks that every
// problem names its line and carries a known code with only its params.
func TestEveryProblemHasACode(t *testing.T) {
	var all []Problem
	for _, f := range []string{"", "a,b\n \nx y\nname@nowhere\n\"broken\n", strings.Repeat("x", MaxRef+1) + "\n"} {
		_, ps, err := ParseRanking(strings.NewReader(f))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ps...)
	}
	for _, f := range []string{"", "a\nb,,p\nc,p,p\nd,p,q,r\n\"broken\n", " ,p\n"} {
		_, ps, err := ParseRanks(strings.NewReader(f), 2)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ps...)
	}
	seen := map[fielderr.Code]bool{}
	for _, p := range all {
		seen[p.Code] = true
		if p.Line < 1 {
			t.Errorf("%+v names no line", p)
		}
		if err := fielderr.Check(p); err != nil {
			t.Error(err)
		}
	}
	for _, c := range []fielderr.Code{fielderr.EmptyFile, fielderr.Columns, fielderr.Required, fielderr.ControlCharacter,
		fielderr.Email, fielderr.Format, fielderr.TooLong, fielderr.TooFew, fielderr.TooMany, fielderr.Duplicate} {
		if !seen[c] {
			t.Errorf("no bad file in the corpus gave code %s", c)
		}
	}
}
