package domain

import (
	"embed"
	"strings"
)

// NoticeVersion is the version of the consent notice in force. A profile is
// created or changed only by someone who read this version; when the
// meaning of the text changes, the version changes, and applicants agree
// again the next time they save their profile (their consents are then
// recorded anew; the profile page asks them to while their profile holds
// an older version).
//
// 2026-12 changed what visibleToHosts means: from "hosts of programs I
// apply to may see my profile" to "eligible hosts may find me on their
// candidate list" (profilesev.FindableSince), and says what applying shows.
const NoticeVersion = "2026-12"

// NoticePublished is the day the current notice took effect.
const NoticePublished = "2026-12-07"

// NoticeLanguages are the languages the notice is published in, the
// default first. Each text says the same and carries NoticeVersion.
var NoticeLanguages = []string{"en", "ja", "hi"}

//go:embed notice/*.txt
var noticeFiles embed.FS

// Notice returns the consent notice in language lang (one of
// NoticeLanguages), shown before an applicant creates or changes a profile.
func Notice(lang string) (string, bool) {
	b, err := noticeFiles.ReadFile("notice/" + lang + ".txt")
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(b)), true
}
