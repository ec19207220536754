package domain

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// decoded returns a profile as a read-model load or an event gives it:
// every string its own copy.
func decoded(t *testing.T, id string) Profile {
	t.Helper()
	doc := `{"kind":"student","homeCountry":"IN","degreeLevel":"master","institution":"IIT Madras",
		"fields":["1.2"],"skills":["python","machine learning"],"languages":[{"code":"en","level":"C1"},{"code":"ja","level":"N4"}],
		"availableFrom":"2027-04-01","availableTo":"2027-09-30","preferredProgramKinds":["internship"],
		"preferredHostRegions":["Tokyo"],"statement":"I work on speech recognition.","gender":"female","name":"Priya Iyer"}`
	var d ProfileData
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatal(err)
	}
	return Profile{ID: id, Version: 3, ProfileData: d}
}

func sameData(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }

func TestInternedSharesRepeatedValues(t *testing.T) {
	a, b := decoded(t, "a1"), decoded(t, "a2")
	if sameData(a.Skills[0], b.Skills[0]) {
		t.Fatal("decoded profiles already share strings; the test shows nothing")
	}
	ia, ib := a.Interned(), b.Interned()
	if !reflect.DeepEqual(ia, a) || !reflect.DeepEqual(ib, b) {
		t.Fatalf("interning changed a profile:\n%+v\n%+v", ia, a)
	}
	shared := map[string][2]string{
		"kind": {ia.Kind, ib.Kind}, "homeCountry": {ia.HomeCountry, ib.HomeCountry},
		"degreeLevel": {ia.DegreeLevel, ib.DegreeLevel}, "institution": {ia.Institution, ib.Institution},
		"fields[0]": {ia.Fields[0], ib.Fields[0]}, "skills[1]": {ia.Skills[1], ib.Skills[1]},
		"languages[1].code": {ia.Languages[1].Code, ib.Languages[1].Code}, "languages[0].level": {ia.Languages[0].Level, ib.Languages[0].Level},
		"availableTo": {ia.AvailableTo, ib.AvailableTo}, "programKinds[0]": {ia.ProgramKinds[0], ib.ProgramKinds[0]},
		"hostRegions[0]": {ia.HostRegions[0], ib.HostRegions[0]}, "gender": {ia.Gender, ib.Gender},
	}
	for name, v := range shared {
		if !sameData(v[0], v[1]) {
			t.Errorf("%s: two interned profiles hold separate copies of %q", name, v[0])
		}
	}
	// The statement and name are the applicant's own: not interned.
	if sameData(ia.Statement, ib.Statement) || sameData(ia.Name, ib.Name) {
		t.Error("the statement or name was interned")
	}
	// The original's slices are not written to: the interned profile has
	// its own.
	if &a.Skills[0] == &ia.Skills[0] || &b.Languages[0] == &ib.Languages[0] {
		t.Error("interning wrote into the profile's own slices")
	}
}

func TestInternBounds(t *testing.T) {
	long := strings.Repeat("x", maxInternedLen+1)
	if got := intern(strings.Clone(long)); sameData(got, intern(strings.Clone(long))) {
		t.Error("a string longer than the bound was interned")
	}
	if intern("") != "" {
		t.Error("the empty string changed")
	}
}
