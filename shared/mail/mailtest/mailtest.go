// Package mailtest runs a real SMTP server on loopback for tests (built on
// github.com/emersion/go-smtp) and records what it receives, decoded:
// headers, subject and the text and HTML bodies.
//
//	srv := mailtest.Start(t, mailtest.Options{TLS: "starttls"})
//	sender, _ := mail.NewSender(srv.Config(), mail.WithTLSConfig(srv.ClientTLS()))
//	...
//	got := srv.WaitFor(t, 5*time.Second, mailtest.To("ana@example.org"))
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/talentbridge/platform/shared/config"
)

// Options choose how the server talks.
type Options struct {
	// TLS is none, starttls (offered, not required) or tls (implicit, from
	// the first byte), as TB_SMTP_TLS. Default none.
	TLS string
	// Username and Password, when set, are required (AUTH PLAIN).
	Username, Password string
}

// Server is a running test SMTP server.
type Server struct {
	opt    Options
	srv    *smtp.Server
	ln     net.Listener
	pool   *x509.CertPool
	mu     sync.Mutex
	msgs   []Message
	reject []error
	notify chan struct{}
}

// Start runs a server on 127.0.0.1 until the test ends.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	if opt.TLS == "" {
		opt.TLS = config.SMTPTLSNone
	}
	s := &Server{opt: opt, notify: make(chan struct{}, 1)}
	cert, pool, err := selfSigned()
	if err != nil {
		t.Fatalf("mailtest: certificate: %v", err)
	}
	s.pool = pool
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, conn: c}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.EnableSMTPUTF8 = true
	tc := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	switch opt.TLS {
	case config.SMTPTLSNone:
		s.srv.AllowInsecureAuth = true
	case config.SMTPTLSStartTLS:
		s.srv.TLSConfig = tc
	case config.SMTPTLSImplicit:
		ln = tls.NewListener(ln, tc)
	default:
		t.Fatalf("mailtest: TLS %q is not none|starttls|tls", opt.TLS)
	}
	s.ln = ln
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.srv.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = s.srv.Close()
		<-done
	})
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Config returns TB_SMTP_* settings that reach this server.
func (s *Server) Config() config.SMTP {
	return config.SMTP{Addr: s.Addr(), From: "TalentBridge <no-reply@talentbridge.test>", TLS: s.opt.TLS,
		Username: s.opt.Username, Password: s.opt.Password, Timeout: 10 * time.Second}
}

// ClientTLS is a client TLS configuration that trusts the server's
// certificate.
func (s *Server) ClientTLS() *tls.Config {
	return &tls.Config{RootCAs: s.pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// RejectNext makes the server refuse the next messages' DATA, one error
// each (an *smtp.SMTPError with a 4xx code is temporary, 5xx permanent).
func (s *Server) RejectNext(errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = append(s.reject, errs...)
}

// Messages returns what the server has received, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// To matches messages to one recipient (case-insensitive).
func To(addr string) func(Message) bool {
	return func(m Message) bool {
		for _, r := range m.Rcpt {
			if strings.EqualFold(r, addr) {
				return true
			}
		}
		return false
	}
}

// WaitFor waits up to timeout for a received message that match accepts
// and returns the first; the test fails when none arrives.
func (s *Server) WaitFor(t testing.TB, timeout time.Duration, match func(Message) bool) Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		for _, m := range s.Messages() {
			if match(m) {
				return m
			}
		}
		select {
		case <-s.notify:
		case <-deadline.C:
			t.Fatalf("mailtest: no matching message within %v; received %d: %s", timeout, len(s.Messages()), s.summary())
			return Message{}
		}
	}
}

// WaitCount waits up to timeout until at least n messages have arrived and
// returns them all.
func (s *Server) WaitCount(t testing.TB, timeout time.Duration, n int) []Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if ms := s.Messages(); len(ms) >= n {
			return ms
		}
		select {
		case <-s.notify:
		case <-deadline.C:
			t.Fatalf("mailtest: %d messages within %v, want %d: %s", len(s.Messages()), timeout, n, s.summary())
			return nil
		}
	}
}

func (s *Server) summary() string {
	var b strings.Builder
	for _, m := range s.Messages() {
		b.WriteString("[" + strings.Join(m.Rcpt, ",") + " " + m.Subject + "] ")
	}
	return b.String()
}

func (s *Server) record(m Message) error {
	s.mu.Lock()
	if len(s.reject) > 0 {
		err := s.reject[0]
		s.reject = s.reject[1:]
		s.mu.Unlock()
		return err
	}
	s.msgs = append(s.msgs, m)
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return nil
}

// session is one SMTP conversation.
type session struct {
	s      *Server
	conn   *smtp.Conn
	authed bool
	from   string
	rcpt   []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opt.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.opt.Username || pass != ss.s.opt.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opt.Username != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.rcpt = append(ss.rcpt, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "unparseable message: " + err.Error()}
	}
	m.From, m.Rcpt, m.At = ss.from, append([]string(nil), ss.rcpt...), time.Now()
	_, m.TLS = ss.conn.TLSConnectionState()
	return ss.s.record(m)
}

func (ss *session) Reset()        { ss.from, ss.rcpt = "", nil }
func (ss *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost and a pool
// that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "mailtest"},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
