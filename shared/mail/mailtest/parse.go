package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// Message is one received e-mail, decoded.
type Message struct {
	// From and Rcpt are the envelope (MAIL FROM, RCPT TO).
	From string
	Rcpt []string
	// TLS says whether the conversation was encrypted when DATA came.
	TLS bool
	At  time.Time
	// Header is the message's header as sent (values still encoded).
	Header mail.Header
	// Subject is the decoded subject; MessageID the Message-ID header.
	Subject   string
	MessageID string
	// Text and HTML are the decoded bodies (empty when absent), with CRLF
	// line ends turned into LF.
	Text, HTML string
	Raw        []byte
}

var words = mime.WordDecoder{}

// parse decodes a raw message.
func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: msg.Header, Raw: raw, MessageID: msg.Header.Get("Message-Id")}
	if m.Subject, err = words.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Message{}, fmt.Errorf("subject: %w", err)
	}
	if err := m.body(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, 0); err != nil {
		return Message{}, err
	}
	return m, nil
}

// body reads one part, descending into multipart ones (a few levels).
func (m *Message) body(ctype, cte string, r io.Reader, depth int) error {
	if ctype == "" {
		ctype = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("content-type %q: %w", ctype, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		if depth > 4 {
			return fmt.Errorf("multipart nested too deep")
		}
		mr := multipart.NewReader(r, params["boundary"])
		for {
			// NextPart undoes quoted-printable itself; base64 is left to
			// decode below.
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.body(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, depth+1); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(cte) {
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s body: %w", mt, err)
	}
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch mt {
	case "text/plain":
		m.Text += text
	case "text/html":
		m.HTML += text
	}
	return nil
}
