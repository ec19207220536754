package main

import (
	"bufio"
	"bytes"
	bin "encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/shared/natsauth"
)

// TestNoPortLetsAnOutsiderIn is issue 16's black-box line: of every TCP
// port the standalone process listens on, only its HTTP address serves
// anyone. NATS answers a CONNECT without credentials with -ERR, and no
// port hands out a stored document to a raw MongoDB find on
// identity.users. The same probes against the platform's own way in (the
// credentials and the FerretDB socket in the data folder) do succeed, so
// the probes would see an open door.
func TestNoPortLetsAnOutsiderIn(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	p := start(t, "--data-dir", dir, "--addr", addr)
	waitReady(t, addr, p)
	body := strings.NewReader(`{"email":"ports@example.org","password":"` + identityPassword + `","role":"applicant","name":"Port Probe"}`)
	resp, err := http.Post("http://"+addr+"/api/v1/auth/signup", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("signup = %d", resp.StatusCode)
	}

	ports, err := listeningPorts(p.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	_, httpPort, _ := net.SplitHostPort(addr)
	var others []string
	for _, port := range ports {
		if strconv.Itoa(port) != httpPort {
			others = append(others, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		}
	}
	t.Logf("the process listens on TCP ports %v (HTTP %s)", ports, httpPort)
	if len(others) == 0 {
		t.Fatal("no TCP port besides HTTP found; the embedded NATS should be one")
	}
	natsSeen := false
	for _, a := range others {
		answer := natsConnect(t, a, "{}")
		if strings.HasPrefix(answer, "INFO") {
			natsSeen = true
		}
		if strings.Contains(answer, "PONG") || !strings.Contains(answer, "-ERR") && strings.HasPrefix(answer, "INFO") {
			t.Errorf("%s: CONNECT {} + PING answered %q, want -ERR", a, answer)
		}
		if n, err := mongoFind(dialer("tcp", a), "identity", "users"); n > 0 {
			t.Errorf("%s: a raw find on identity.users returned %d documents", a, n)
		} else {
			t.Logf("%s: find on identity.users: %d documents (%v)", a, n, err)
		}
	}
	if !natsSeen {
		t.Error("no port spoke NATS; the probe did not reach the embedded NATS")
	}

	// The platform's own way in works, so the probes above can tell.
	natsURL, mongoURI, err := loadConnect(dir, natsauth.Platform)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	creds := fmt.Sprintf(`{"user":%q,"pass":%q}`, u.User.Username(), pw)
	if answer := natsConnect(t, u.Host, creds); !strings.Contains(answer, "PONG") {
		t.Errorf("CONNECT with the platform's credentials answered %q, want PONG", answer)
	}
	sock, err := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(mongoURI, "mongodb://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := mongoFind(dialer("unix", sock), "identity", "users"); n == 0 {
		t.Errorf("a find through the data folder's socket returned no documents (%v); the probe proves nothing", err)
	}
	if fi, err := os.Stat(filepath.Dir(sock)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("socket folder %s: %v, %v; want 0700", filepath.Dir(sock), fi.Mode(), err)
	}
}

// listeningPorts returns the TCP ports on which process pid has a
// listening socket: the inodes of its open sockets, matched against the
// kernel's TCP tables.
func listeningPorts(pid int) ([]int, error) {
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return nil, err
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
		if err == nil && strings.HasPrefix(target, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(target, "socket:["), "]")] = true
		}
	}
	var ports []int
	for _, table := range []string{"tcp", "tcp6"} {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/net/%s", pid, table))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(raw), "\n")[1:] {
			f := strings.Fields(line)
			// local_address is f[1] (hex ip:port), st is f[3] (0A =
			// LISTEN), inode is f[9].
			if len(f) < 10 || f[3] != "0A" || !inodes[f[9]] {
				continue
			}
			_, hexPort, _ := strings.Cut(f[1], ":")
			port, err := strconv.ParseUint(hexPort, 16, 16)
			if err == nil {
				ports = append(ports, int(port))
			}
		}
	}
	return ports, nil
}

// natsConnect sends CONNECT and PING as a raw client and returns all the
// server said within a short while.
func natsConnect(t *testing.T, addr, connect string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return "dial: " + err.Error()
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(3 * time.Second))
	r := bufio.NewReader(c)
	var out strings.Builder
	first, _ := r.ReadString('\n') // NATS greets with INFO; others say nothing
	out.WriteString(first)
	_, _ = c.Write([]byte("CONNECT " + connect + "\r\nPING\r\n"))
	for {
		line, err := r.ReadString('\n')
		out.WriteString(line)
		if err != nil || strings.HasPrefix(line, "PONG") || strings.HasPrefix(line, "-ERR") {
			return out.String()
		}
	}
}

func dialer(network, addr string) func() (net.Conn, error) {
	return func() (net.Conn, error) { return net.DialTimeout(network, addr, 2*time.Second) }
}

// mongoFind sends one OP_MSG find to db.coll as a raw MongoDB client would
// and returns how many documents the first batch holds.
func mongoFind(dial func() (net.Conn, error), db, coll string) (int, error) {
	c, err := dial()
	if err != nil {
		return 0, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(3 * time.Second))
	doc, err := bson.Marshal(bson.D{{Key: "find", Value: coll}, {Key: "filter", Value: bson.D{}}, {Key: "$db", Value: db}})
	if err != nil {
		return 0, err
	}
	var msg bytes.Buffer
	header := make([]byte, 16)
	bin.LittleEndian.PutUint32(header[0:], uint32(16+4+1+len(doc)))
	bin.LittleEndian.PutUint32(header[4:], 1)     // request id
	bin.LittleEndian.PutUint32(header[12:], 2013) // OP_MSG
	msg.Write(header)
	msg.Write([]byte{0, 0, 0, 0, 0}) // flags, section kind 0
	msg.Write(doc)
	if _, err := c.Write(msg.Bytes()); err != nil {
		return 0, err
	}
	head := make([]byte, 16)
	if _, err := io.ReadFull(c, head); err != nil {
		return 0, err
	}
	size := int(bin.LittleEndian.Uint32(head))
	if bin.LittleEndian.Uint32(head[12:]) != 2013 || size < 21 || size > 48<<20 {
		return 0, errors.New("not a MongoDB reply")
	}
	rest := make([]byte, size-16)
	if _, err := io.ReadFull(c, rest); err != nil {
		return 0, err
	}
	var reply struct {
		OK     float64 `bson:"ok"`
		Errmsg string  `bson:"errmsg"`
		Cursor struct {
			FirstBatch []bson.Raw `bson:"firstBatch"`
		} `bson:"cursor"`
	}
	if err := bson.Unmarshal(rest[5:], &reply); err != nil {
		return 0, err
	}
	if reply.OK != 1 {
		return 0, fmt.Errorf("refused: %s", reply.Errmsg)
	}
	return len(reply.Cursor.FirstBatch), nil
}
