package domain

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	profilesev "github.com/talentbridge/platform/shared/events/profiles"
)

// TestNoticeInEveryLanguage: the notice exists in each of NoticeLanguages,
// each text names the version in force, and all have the same numbered
// sections; an unknown language has none.
func TestNoticeInEveryLanguage(t *testing.T) {
	if NoticeVersion < profilesev.FindableSince {
		t.Fatalf("NoticeVersion %s is older than FindableSince %s: the notice in force must say that hosts may find consenting applicants", NoticeVersion, profilesev.FindableSince)
	}
	section := regexp.MustCompile(`(?m)^([0-9])\. `)
	var want []string
	for _, lang := range NoticeLanguages {
		text, ok := Notice(lang)
		if !ok || text == "" {
			t.Fatalf("Notice(%q) is missing", lang)
		}
		first, _, _ := strings.Cut(text, "\n")
		if !strings.Contains(first, NoticeVersion) {
			t.Errorf("Notice(%q) begins %q, want the version %s in its title", lang, first, NoticeVersion)
		}
		if !strings.Contains(text, "28") || !strings.Contains(text, "2023") {
			t.Errorf("Notice(%q) does not cite APPI Article 28 and the DPDP Act 2023", lang)
		}
		var got []string
		for _, m := range section.FindAllStringSubmatch(text, -1) {
			got = append(got, m[1])
		}
		if want == nil {
			want = got
		} else if !slices.Equal(got, want) {
			t.Errorf("Notice(%q) has sections %v, want %v like %s", lang, got, want, NoticeLanguages[0])
		}
	}
	if len(want) != 5 {
		t.Errorf("sections = %v, want 1 to 5", want)
	}
	if _, ok := Notice("fr"); ok {
		t.Error(`Notice("fr") exists, want none`)
	}
	if _, ok := Notice("../notice"); ok {
		t.Error(`Notice("../notice") exists, want none`)
	}
}
