package domain

import (
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"
	"github.com/talentbridge/platform/shared/fielderr"
)

// importNamespace is the UUID namespace of imported profile ids.
var importNamespace = uuid.MustParse("8a0f3c51-64d4-4c8f-9d7b-2e7f1a6c0b93")

// ImportedID returns the id of the profile imported for an e-mail address:
// a name-based UUID (version 5) of the address in lower case. The same
// person in the same file always gets the same id, which is what lets a
// retried import finish an interrupted one without duplicates. Imported
// profiles belong to no account yet; the e-mail address is kept so the
// person can claim the profile when they sign up.
func ImportedID(email string) string {
	return uuid.NewSHA1(importNamespace, []byte(strings.ToLower(email))).String()
}

// ImportRow is one valid row of an import file.
type ImportRow struct {
	// Line is the row's line number in the file (the header is line 1).
	Line  int
	Email string
	Draft Draft
}

// RowProblem is one broken rule in one row of an import file: its line,
// the column, a stable code and the English reason.
type RowProblem = fielderr.FieldError

// ImportError reports every bad row of an import; nothing was imported.
type ImportError struct {
	Problems []RowProblem
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("import refused: %d problems", len(e.Problems))
}

// Lines returns the distinct line numbers with problems, in order.
func (e *ImportError) Lines() []int {
	seen := map[int]bool{}
	var out []int
	for _, p := range e.Problems {
		if !seen[p.Line] {
			seen[p.Line] = true
			out = append(out, p.Line)
		}
	}
	sort.Ints(out)
	return out
}

// SortProblems orders problems by line, keeping the order within a line.
func SortProblems(ps []RowProblem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
}
