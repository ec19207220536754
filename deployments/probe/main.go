// Command probe is the container health check of the TalentBridge images.
// The runtime image is distroless (no shell, no curl, no wget), so docker
// compose's healthcheck runs this small static binary instead:
//
//	/probe            GET /readyz on the service's own port
//	/probe /healthz   GET /healthz instead
//
// The port comes from TB_HTTP_ADDR, the variable the service itself listens
// on (":8080" when unset), and the request always goes to the loopback
// address. The exit status is 0 when the answer is 2xx and 1 otherwise, with
// the reason on stderr, which docker keeps in the container's health log.
// Usage errors exit with 2.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stderr))
}

func run(args []string, getenv func(string) string, stderr io.Writer) int {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", 4*time.Second, "give up after this long (/readyz checks its dependencies for up to 3s)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(stderr, "usage: probe [-timeout 4s] [/path]")
		return 2
	}
	path := "/readyz"
	if fs.NArg() == 1 {
		path = fs.Arg(0)
	}
	target, err := targetURL(getenv("TB_HTTP_ADDR"), path)
	if err != nil {
		fmt.Fprintln(stderr, "probe:", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := check(ctx, target); err != nil {
		fmt.Fprintln(stderr, "probe:", err)
		return 1
	}
	return 0
}

// targetURL turns the service's listen address into a loopback URL: the
// probe runs inside the service's own container, so whatever host the
// service binds to, 127.0.0.1 reaches it (":8080", "0.0.0.0:8080" and
// "127.0.0.1:8080" all become 127.0.0.1:8080; "[::]:8080" becomes [::1]:8080).
func targetURL(listenAddr, path string) (string, error) {
	if listenAddr == "" {
		listenAddr = ":8080"
	}
	host, port, err := net.SplitHostPort(listenAddr)
	if err != nil {
		return "", fmt.Errorf("TB_HTTP_ADDR %q: %w", listenAddr, err)
	}
	if port == "" {
		return "", fmt.Errorf("TB_HTTP_ADDR %q has no port", listenAddr)
	}
	loopback := "127.0.0.1"
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		loopback = "::1"
	}
	if !strings.HasPrefix(path, "/") {
		return "", fmt.Errorf("path %q must start with /", path)
	}
	return "http://" + net.JoinHostPort(loopback, port) + path, nil
}

// check asks target once; anything but a 2xx answer is an error.
func check(ctx context.Context, target string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	// No proxy from the environment: the request never leaves the container.
	// A redirect is an answer, not health: it is not followed.
	client := &http.Client{
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return fmt.Errorf("%s: no answer in time", target)
		}
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil
	}
	// /readyz says which dependency failed; show the start of it.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return fmt.Errorf("%s: %s %s", target, resp.Status, strings.TrimSpace(string(body)))
}
