package documents_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	apidocs "github.com/talentbridge/platform/shared/api/documents"
)

// BenchmarkUpload stores a PDF through POST /documents on the embedded
// stores (sniffing, hashing and GridFS chunks included) and deletes it
// again, so every round trip starts from the same state. Sizes: 1 MiB and
// the largest accepted, 10 MiB.
func BenchmarkUpload(b *testing.B) {
	for _, size := range []int{1 << 20, apidocs.MaxFileSize - 1024} {
		b.Run(sizeName(size), func(b *testing.B) {
			env := start(b)
			p := newPerson(b, env, applicant)
			file := samplePDF(strings.Repeat("x", size-400)) // the padding is a comment inside the body
			body, ct := form(b, "b.pdf", file, apidocs.FieldKind, apidocs.KindOther, apidocs.FieldTitle, "bench")
			b.SetBytes(int64(len(file)))
			b.ResetTimer()
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/api/v1/documents", bytes.NewReader(body))
				req.Header.Set("Content-Type", ct)
				req.Header.Set("Authorization", "Bearer "+p.token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode != http.StatusCreated {
					b.Fatalf("upload: %v %v", resp, err)
				}
				var d apidocs.Document
				decodeBody(b, resp, &d)
				del, _ := http.NewRequest(http.MethodDelete, env.Server.URL+"/api/v1/documents/"+d.ID, nil)
				del.Header.Set("Authorization", "Bearer "+p.token)
				if r, err := http.DefaultClient.Do(del); err != nil || r.StatusCode != http.StatusNoContent {
					b.Fatalf("delete: %v %v", r, err)
				} else {
					r.Body.Close()
				}
			}
		})
	}
}
