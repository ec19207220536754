package ui

import (
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// TestMessagesComplete fails when a message id exists in one language and
// not in another, when a text is empty, or when a translation uses other
// parameters than the English text.
func TestMessagesComplete(t *testing.T) {
	texts := map[string]map[string]string{}
	for _, lang := range Languages {
		raw, err := localeFS.ReadFile("locales/" + lang + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := toml.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s.toml: %v", lang, err)
		}
		texts[lang] = m
	}
	params := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	paramSet := func(s string) []string {
		var out []string
		for _, m := range params.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
		sort.Strings(out)
		return out
	}
	en := texts["en"]
	for _, lang := range Languages[1:] {
		for id, text := range en {
			tr, ok := texts[lang][id]
			if !ok {
				t.Errorf("%s.toml lacks %q (en: %q)", lang, id, text)
				continue
			}
			if got, want := paramSet(tr), paramSet(text); !slices.Equal(got, want) {
				t.Errorf("%s %q uses params %v, want %v as in English", lang, id, got, want)
			}
		}
		for id := range texts[lang] {
			if _, ok := en[id]; !ok {
				t.Errorf("%s.toml has %q, which en.toml lacks", lang, id)
			}
		}
	}
	for lang, m := range texts {
		for id, s := range m {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s %q is empty", lang, id)
			}
		}
	}
	ids, err := MessageIDs("en")
	if err != nil || len(ids) != len(en) {
		t.Errorf("MessageIDs(en) = %d ids, %v; want %d", len(ids), err, len(en))
	}
}

// TestTemplatesUseKnownMessages fails when a template names a message id
// that en.toml lacks (ids written literally in the templates).
func TestTemplatesUseKnownMessages(t *testing.T) {
	ids, err := MessageIDs("en")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}
	uses := regexp.MustCompile(`(?:\.T|\.H) "([a-z_]+\.[A-Za-z_.]+)"|"(?:Label|Hint)" "([a-z_]+\.[A-Za-z_.]+)"`)
	n := 0
	err = fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range uses.FindAllStringSubmatch(string(b), -1) {
			id := m[1] + m[2]
			n++
			if !known[id] {
				t.Errorf("%s uses message %q, which en.toml lacks", p, id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("found only %d message uses in the templates; the pattern is broken", n)
	}
}
