package tour

import (
	"slices"
	"strings"
	"testing"
)

func TestPathsFillInIDsAndLeaveOutWhatHasNone(t *testing.T) {
	with := IDs{Program: "p-1", Round: "r-1"}
	for _, role := range Roles {
		if len(Paths(role, with)) == 0 {
			t.Errorf("Paths(%s) is empty", role)
		}
	}
	if got := Paths("host", with); !slices.Contains(got, "/host/programs/p-1/candidates") {
		t.Errorf("host paths %v lack the program's candidates", got)
	}
	if got := Paths("coordinator", with); !slices.Contains(got, "/coord/rounds/r-1/report") {
		t.Errorf("coordinator paths %v lack the round's report", got)
	}
	for _, role := range Roles {
		for _, p := range Paths(role, IDs{}) {
			if strings.Contains(p, "//") || strings.HasSuffix(p, "/rounds/") || strings.Contains(p, "/programs//") {
				t.Errorf("without ids, %s has %q", role, p)
			}
		}
	}
	if got := Paths("nobody", with); got != nil {
		t.Errorf("Paths(nobody) = %v, want none", got)
	}
}
