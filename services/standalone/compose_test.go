package main

// Checks of docker-compose.yml, deployments/nats/nats.conf and the
// production stream definitions against the code they run: the variables
// each service reads (from the services' own config types), the streams of
// shared/events and the duplicate window of shared/natsbus.

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/caarlos0/env/v11"
	"github.com/nats-io/nats-server/v2/server"
	"go.yaml.in/yaml/v3"

	"github.com/talentbridge/platform/services/documents"
	"github.com/talentbridge/platform/services/gateway"
	"github.com/talentbridge/platform/services/placements"
	"github.com/talentbridge/platform/services/programs"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/natsauth"
	"github.com/talentbridge/platform/shared/natsbus"
)

// composeRepoRoot is where docker-compose.yml lives, seen from this package.
const composeRepoRoot = "../.."

// composeAppServices are the platform's own containers.
var composeAppServices = []string{"gateway", "profiles", "programs", "matching", "documents", "placements"}

// composeServiceConfigs are the configuration types each service command loads
// from the environment: config.Service for all, plus the service's own.
// profiles and matching have no Config type of their own (yet); when one is
// added, list it here.
var composeServiceConfigs = map[string][]any{
	"gateway":    {&config.Service{}, &gateway.Config{}},
	"profiles":   {&config.Service{}},
	"programs":   {&config.Service{}, &programs.Config{}},
	"matching":   {&config.Service{}},
	"documents":  {&config.Service{}, &documents.Config{}},
	"placements": {&config.Service{}, &placements.Config{}},
}

// composeVarsRead returns the environment variables service reads, by name.
func composeVarsRead(t *testing.T, service string) map[string]env.FieldParams {
	t.Helper()
	out := map[string]env.FieldParams{}
	for _, c := range composeServiceConfigs[service] {
		params, err := env.GetFieldParams(c)
		if err != nil {
			t.Fatalf("env.GetFieldParams(%T): %v", c, err)
		}
		for _, p := range params {
			out[p.Key] = p
		}
	}
	return out
}

// --- the compose file, as much of it as the checks need ---

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image       string           `yaml:"image"`
	Build       *composeBuild    `yaml:"build"`
	Command     composeStrings   `yaml:"command"`
	Entrypoint  composeStrings   `yaml:"entrypoint"`
	Environment composeEnv       `yaml:"environment"`
	Healthcheck *composeHealth   `yaml:"healthcheck"`
	DependsOn   composeDependsOn `yaml:"depends_on"`
	Ports       []any            `yaml:"ports"`
	Volumes     []composeVolume  `yaml:"volumes"`
	Restart     string           `yaml:"restart"`
}

type composeBuild struct {
	Context    string            `yaml:"context"`
	Dockerfile string            `yaml:"dockerfile"`
	Args       map[string]string `yaml:"args"`
}

// UnmarshalYAML accepts the short form (build: ./dir) and the long one.
func (b *composeBuild) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		b.Context = n.Value
		return nil
	}
	type plain composeBuild
	return n.Decode((*plain)(b))
}

// composeStrings is a command, entrypoint or healthcheck test: a string or
// a list.
type composeStrings []string

func (s *composeStrings) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = []string{n.Value}
		return nil
	}
	var list []string
	err := n.Decode(&list)
	*s = list
	return err
}

// composeEnv is environment: a map, or a list of NAME=value.
type composeEnv map[string]string

func (e *composeEnv) UnmarshalYAML(n *yaml.Node) error {
	out := composeEnv{}
	switch n.Kind {
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		for _, kv := range list {
			k, v, _ := strings.Cut(kv, "=")
			out[k] = v
		}
	default:
		var m map[string]any
		if err := n.Decode(&m); err != nil {
			return err
		}
		for k, v := range m {
			if v == nil {
				v = ""
			}
			out[k] = fmt.Sprint(v)
		}
	}
	*e = out
	return nil
}

type composeHealth struct {
	Test    composeStrings `yaml:"test"`
	Disable bool           `yaml:"disable"`
}

// composeDependsOn maps a dependency to its condition; the list form means
// service_started.
type composeDependsOn map[string]string

func (d *composeDependsOn) UnmarshalYAML(n *yaml.Node) error {
	out := composeDependsOn{}
	if n.Kind == yaml.SequenceNode {
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		for _, s := range list {
			out[s] = "service_started"
		}
	} else {
		var m map[string]struct {
			Condition string `yaml:"condition"`
		}
		if err := n.Decode(&m); err != nil {
			return err
		}
		for k, v := range m {
			out[k] = composeOr(v.Condition, "service_started")
		}
	}
	*d = out
	return nil
}

func composeOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// composeVolume is a mount: "source:target[:mode]" or the long form.
type composeVolume struct {
	Source, Target string
}

func (v *composeVolume) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		parts := strings.Split(n.Value, ":")
		switch len(parts) {
		case 1:
			v.Target = parts[0]
		default:
			v.Source, v.Target = parts[0], parts[1]
		}
		return nil
	}
	var long struct {
		Source string `yaml:"source"`
		Target string `yaml:"target"`
	}
	err := n.Decode(&long)
	v.Source, v.Target = long.Source, long.Target
	return err
}

// named reports whether the mount is a named volume (not a bind mount of a
// path, not an anonymous volume).
func (v composeVolume) named() bool {
	return v.Source != "" && !strings.HasPrefix(v.Source, ".") && !strings.HasPrefix(v.Source, "/") && !strings.HasPrefix(v.Source, "~")
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(composeRepoRoot, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var f composeFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatalf("docker-compose.yml is not valid YAML: %v", err)
	}
	if len(f.Services) == 0 {
		t.Fatal("docker-compose.yml has no services")
	}
	return f
}

// --- compose variable interpolation, as docker compose does it ---

var composeVarRe = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// composeInterpolate resolves ${NAME}, ${NAME:-default}, ${NAME-default},
// ${NAME:?message}, ${NAME?message} and $$ against vars.
func composeInterpolate(s string, vars map[string]string) (string, error) {
	var errs []error
	out := composeVarRe.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		sub := composeVarRe.FindStringSubmatch(m)
		name, op, arg := sub[1], sub[2], sub[3]
		if name == "" {
			name = sub[4]
		}
		val, set := vars[name]
		switch op {
		case ":-":
			if val == "" {
				return arg
			}
		case "-":
			if !set {
				return arg
			}
		case ":?":
			if val == "" {
				errs = append(errs, fmt.Errorf("%s: %s", name, arg))
			}
		case "?":
			if !set {
				errs = append(errs, fmt.Errorf("%s: %s", name, arg))
			}
		}
		return val
	})
	return out, errors.Join(errs...)
}

// composeOperatorVars are what an operator exports before docker compose up.
var composeOperatorVars = map[string]string{
	"TB_ADMIN_EMAIL":    "admin@talentbridge.example.org",
	"TB_ADMIN_PASSWORD": "correct horse battery staple 42",
	// The NATS users' passwords (deployments/nats/nats.conf).
	"TB_NATS_GATEWAY_PASSWORD":    "gw-4f1c9a",
	"TB_NATS_PROFILES_PASSWORD":   "pr-77d2e0",
	"TB_NATS_PROGRAMS_PASSWORD":   "pg-0b93aa",
	"TB_NATS_MATCHING_PASSWORD":   "ma-5e6f10",
	"TB_NATS_DOCUMENTS_PASSWORD":  "dc-19a7c3",
	"TB_NATS_PLACEMENTS_PASSWORD": "pl-3c81d4",
}

// composeResolvedEnv is the environment a container gets.
func composeResolvedEnv(t *testing.T, name string, s composeService) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range s.Environment {
		r, err := composeInterpolate(v, composeOperatorVars)
		if err != nil {
			t.Fatalf("%s: environment %s: %v", name, k, err)
		}
		out[k] = r
	}
	return out
}

func composeResolvedImage(t *testing.T, name string, s composeService) string {
	t.Helper()
	img, err := composeInterpolate(s.Image, composeOperatorVars)
	if err != nil {
		t.Fatalf("%s: image: %v", name, err)
	}
	return img
}

// composeImageTag returns the tag of an image reference ("" when it has none; a
// digest counts as a pin).
func composeImageTag(ref string) (tag string, pinned bool) {
	ref, digest, hasDigest := strings.Cut(ref, "@")
	name := ref[strings.LastIndex(ref, "/")+1:]
	if _, t, ok := strings.Cut(name, ":"); ok {
		tag = t
	}
	return tag, (tag != "" && tag != "latest") || (hasDigest && digest != "")
}

func TestComposeImageTag(t *testing.T) {
	tests := []struct {
		ref    string
		tag    string
		pinned bool
	}{
		{"mongo:8.0.17", "8.0.17", true},
		{"mongo", "", false},
		{"mongo:latest", "latest", false},
		{"localhost:5000/talentbridge/gateway", "", false},
		{"localhost:5000/talentbridge/gateway:0.1.0", "0.1.0", true},
		{"gcr.io/distroless/static-debian12@sha256:abc", "", true},
	}
	for _, tc := range tests {
		tag, pinned := composeImageTag(tc.ref)
		if tag != tc.tag || pinned != tc.pinned {
			t.Errorf("imageTag(%q) = %q, %v, want %q, %v", tc.ref, tag, pinned, tc.tag, tc.pinned)
		}
	}
}

func TestComposeInterpolate(t *testing.T) {
	vars := map[string]string{"SET": "x", "EMPTY": ""}
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"${SET}", "x", false},
		{"$SET/y", "x/y", false},
		{"${UNSET:-d}", "d", false},
		{"${EMPTY:-d}", "d", false},
		{"${EMPTY-d}", "", false},
		{"${UNSET-d}", "d", false},
		{"${SET:?need it}", "x", false},
		{"${UNSET:?need it}", "", true},
		{"${EMPTY:?need it}", "", true},
		{"${EMPTY?need it}", "", false},
		{"$$(seq 1 3)", "$(seq 1 3)", false},
	}
	for _, tc := range tests {
		got, err := composeInterpolate(tc.in, vars)
		if (err != nil) != tc.wantErr || (!tc.wantErr && got != tc.want) {
			t.Errorf("interpolate(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// --- the checks ---

func TestComposeApplicationServices(t *testing.T) {
	f := loadCompose(t)
	for _, name := range composeAppServices {
		t.Run(name, func(t *testing.T) {
			s, ok := f.Services[name]
			if !ok {
				t.Fatalf("service %s is missing", name)
			}
			// Built from the one Dockerfile, and named with a version so
			// that compose never tags it latest.
			if s.Image == "" && s.Build == nil {
				t.Fatal("neither image nor build")
			}
			if s.Build == nil {
				t.Error("no build: the image would have to come from a registry")
			} else {
				if s.Build.Args["SERVICE"] != name {
					t.Errorf("build arg SERVICE = %q, want %q", s.Build.Args["SERVICE"], name)
				}
				df := filepath.Join(composeRepoRoot, s.Build.Context, composeOr(s.Build.Dockerfile, "Dockerfile"))
				if _, err := os.Stat(df); err != nil {
					t.Errorf("build dockerfile: %v", err)
				}
			}
			if s.Image == "" {
				t.Error("no image name: compose would tag the build <project>-" + name + ":latest")
			} else if img := composeResolvedImage(t, name, s); !strings.Contains(img, name) {
				t.Errorf("image %q does not name the service", img)
			}

			if s.Healthcheck == nil || s.Healthcheck.Disable || len(s.Healthcheck.Test) == 0 {
				t.Error("no healthcheck")
			} else if got := []string(s.Healthcheck.Test); !slices.Equal(got, []string{"CMD", "/probe"}) {
				// The image is distroless: /probe is the only way to ask.
				t.Errorf("healthcheck test = %q, want [CMD /probe]", got)
			}
			if !slices.Contains([]string{"always", "unless-stopped", "on-failure"}, strings.SplitN(s.Restart, ":", 2)[0]) {
				t.Errorf("restart = %q, want a policy that restarts a crashed service", s.Restart)
			}
			for _, dep := range []string{"mongo", "nats"} {
				if got := s.DependsOn[dep]; got != "service_healthy" {
					t.Errorf("depends_on %s: condition %q, want service_healthy", dep, got)
				}
			}
			if name != "gateway" && len(s.Ports) > 0 {
				t.Errorf("publishes ports %v; only the gateway should be reachable from outside", s.Ports)
			}
		})
	}
	if gw := f.Services["gateway"]; len(gw.Ports) != 1 || fmt.Sprint(gw.Ports[0]) != "8080:8080" {
		t.Errorf("gateway ports = %v, want [8080:8080]", gw.Ports)
	}
	for name, s := range f.Services {
		if slices.Contains(composeAppServices, name) || len(s.Ports) == 0 {
			continue
		}
		// Mailpit's web page is for the developer at this machine.
		if name == "mailpit" && len(s.Ports) == 1 && strings.HasPrefix(fmt.Sprint(s.Ports[0]), "127.0.0.1:") {
			continue
		}
		t.Errorf("%s publishes ports %v; only the gateway should (and Mailpit's page on loopback)", name, s.Ports)
	}
}

// composeRequiredVars are the variables compose must set for each service, beyond
// what every service needs.
var composeRequiredVars = map[string][]string{
	"gateway": {"TB_PROFILES_URL", "TB_PROGRAMS_URL", "TB_MATCHING_URL", "TB_DOCUMENTS_URL", "TB_PLACEMENTS_URL", "TB_ADMIN_EMAIL", "TB_ADMIN_PASSWORD"},
}

func TestComposeEnvironmentMatchesWhatServicesRead(t *testing.T) {
	f := loadCompose(t)
	for _, name := range composeAppServices {
		t.Run(name, func(t *testing.T) {
			reads := composeVarsRead(t, name)
			got := composeResolvedEnv(t, name, f.Services[name])

			want := append([]string{"NATS_URL", "MONGODB_URI", "TB_HTTP_ADDR"}, composeRequiredVars[name]...)
			for _, k := range want {
				if _, ok := reads[k]; !ok {
					t.Errorf("the test expects %s to be set, but %s no longer reads it (update the test and the compose file)", k, name)
				}
				if got[k] == "" {
					t.Errorf("%s is not set", k)
				}
			}
			if name == "gateway" && got["TB_KEYS_DIR"] == "" && got["TB_SIGNING_KEY"] == "" {
				t.Error("the gateway needs TB_KEYS_DIR on a volume or TB_SIGNING_KEY")
			}
			// A variable the service does not read is a typo or a leftover
			// (the Go runtime's and OpenTelemetry's own variables aside).
			for k := range got {
				if _, ok := reads[k]; !ok && !composeLibraryVar(k) {
					t.Errorf("sets %s, which %s does not read", k, name)
				}
			}

			// The service's own loaders accept what compose gives it.
			for k := range reads {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			for k, v := range got {
				t.Setenv(k, v)
			}
			for _, c := range composeServiceConfigs[name] {
				if err := composeLoadConfig(c); err != nil {
					t.Errorf("%T from the compose environment: %v", c, err)
				}
			}
		})
	}
}

// composeLibraryVar reports whether a variable is read by the Go runtime
// (GOMEMLIMIT, GOMAXPROCS, GODEBUG) or the OpenTelemetry exporter
// (OTEL_EXPORTER_OTLP_ENDPOINT and friends, see shared/tracing) rather
// than by a service's config type.
func composeLibraryVar(name string) bool {
	return slices.Contains([]string{"GOMEMLIMIT", "GOMAXPROCS", "GOGC", "GODEBUG"}, name) ||
		strings.HasPrefix(name, "OTEL_")
}

// composeLoadConfig parses the environment into c and validates it, as
// config.Load does for the service.
func composeLoadConfig(c any) error {
	if err := env.Parse(c); err != nil {
		return err
	}
	if v, ok := c.(interface{ Validate() error }); ok {
		return v.Validate()
	}
	return nil
}

func TestComposeRequiresAdminCredentials(t *testing.T) {
	f := loadCompose(t)
	for _, k := range []string{"TB_ADMIN_EMAIL", "TB_ADMIN_PASSWORD"} {
		v, ok := f.Services["gateway"].Environment[k]
		if !ok {
			t.Errorf("gateway: %s is not set", k)
			continue
		}
		// An operator who forgot it gets an error, not an account with an
		// empty or default password.
		if _, err := composeInterpolate(v, map[string]string{}); err == nil {
			t.Errorf("gateway: %s = %q does not require the operator to set it (use ${%s:?...})", k, v, k)
		}
	}
}

// composePort returns the port of a listen address or URL host.
func composePort(t *testing.T, hostport string) string {
	t.Helper()
	_, p, err := net.SplitHostPort(hostport)
	if err != nil {
		t.Fatalf("%q: %v", hostport, err)
	}
	return p
}

func TestComposeGatewayReachesServices(t *testing.T) {
	f := loadCompose(t)
	gw := composeResolvedEnv(t, "gateway", f.Services["gateway"])
	for k, target := range map[string]string{"TB_PROFILES_URL": "profiles", "TB_PROGRAMS_URL": "programs",
		"TB_MATCHING_URL": "matching", "TB_DOCUMENTS_URL": "documents", "TB_PLACEMENTS_URL": "placements"} {
		u, err := url.Parse(gw[k])
		if err != nil || u.Scheme != "http" {
			t.Errorf("%s = %q, want http://%s:<port>", k, gw[k], target)
			continue
		}
		if u.Hostname() != target {
			t.Errorf("%s points at %q, want the %s service", k, u.Hostname(), target)
		}
		svcEnv := composeResolvedEnv(t, target, f.Services[target])
		if want := composePort(t, svcEnv["TB_HTTP_ADDR"]); u.Port() != want {
			t.Errorf("%s uses port %q, but %s listens on %s", k, u.Port(), target, want)
		}
		if got := f.Services["gateway"].DependsOn[target]; got != "service_healthy" {
			t.Errorf("gateway depends_on %s: condition %q, want service_healthy", target, got)
		}
	}
}

func TestComposeImagesArePinned(t *testing.T) {
	f := loadCompose(t)
	for name, s := range f.Services {
		if s.Image == "" {
			t.Errorf("%s has no image (a build without one is tagged latest)", name)
			continue
		}
		img := composeResolvedImage(t, name, s)
		if tag, pinned := composeImageTag(img); !pinned {
			t.Errorf("%s: image %q is not pinned (tag %q)", name, img, tag)
		}
	}
	// And the bases the application images are built from.
	raw, err := os.ReadFile(filepath.Join(composeRepoRoot, "deployments/docker/Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]bool{}
	froms := 0
	for _, line := range strings.Split(string(raw), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || !strings.EqualFold(fields[0], "FROM") {
			continue
		}
		froms++
		img := fields[1]
		if strings.HasPrefix(img, "--") && len(fields) > 2 { // FROM --platform=... image
			img = fields[2]
		}
		if !stages[img] {
			if tag, pinned := composeImageTag(img); !pinned || strings.Contains(img, "$") {
				t.Errorf("Dockerfile: FROM %s is not pinned (tag %q)", img, tag)
			}
		}
		if i := slices.IndexFunc(fields, func(s string) bool { return strings.EqualFold(s, "AS") }); i > 0 && i+1 < len(fields) {
			stages[fields[i+1]] = true
		}
	}
	if froms < 2 {
		t.Errorf("Dockerfile has %d FROM lines, want a build stage and a runtime stage", froms)
	}
}

func TestComposeMongoIsReplicaSet(t *testing.T) {
	f := loadCompose(t)
	mongo, ok := f.Services["mongo"]
	if !ok {
		t.Fatal("no mongo service")
	}
	if tag, _ := composeImageTag(mongo.Image); !strings.HasPrefix(mongo.Image, "mongo:") || !strings.HasPrefix(tag, "8.") {
		t.Errorf("mongo image = %q, want MongoDB 8", mongo.Image)
	}
	i := slices.Index(mongo.Command, "--replSet")
	if i < 0 || i+1 >= len(mongo.Command) {
		t.Fatalf("mongo command %q does not start a replica set (--replSet)", mongo.Command)
	}
	rs := mongo.Command[i+1]

	// The services name the same set.
	for _, name := range composeAppServices {
		u, err := url.Parse(composeResolvedEnv(t, name, f.Services[name])["MONGODB_URI"])
		if err != nil {
			t.Fatalf("%s: MONGODB_URI: %v", name, err)
		}
		if u.Hostname() != "mongo" || u.Query().Get("replicaSet") != rs {
			t.Errorf("%s: MONGODB_URI = %s, want host mongo and replicaSet=%s", name, u, rs)
		}
	}

	// Something initiates it, with the member address the services use.
	initiated := false
	for name, s := range f.Services {
		script := strings.Join(append(append([]string{}, s.Entrypoint...), s.Command...), " ")
		if s.Healthcheck != nil {
			script += " " + strings.Join(s.Healthcheck.Test, " ")
		}
		if !strings.Contains(script, "rs.initiate(") {
			continue
		}
		initiated = true
		for _, want := range []string{`_id: "` + rs + `"`, `host: "mongo:27017"`, "NotYetInitialized"} {
			if !strings.Contains(script, want) {
				t.Errorf("%s: replica set initiation lacks %s (it must be idempotent and name the member mongo:27017)", name, want)
			}
		}
		if name != "mongo" && s.DependsOn["mongo"] == "" {
			t.Errorf("%s initiates the replica set but does not depend on mongo", name)
		}
	}
	if !initiated {
		t.Error("no service runs rs.initiate: the replica set would never get a primary")
	}
	// Healthy must mean "has a primary": that is what the services wait for.
	if mongo.Healthcheck == nil || !strings.Contains(strings.Join(mongo.Healthcheck.Test, " "), "isWritablePrimary") {
		t.Error("mongo's healthcheck does not wait for a writable primary")
	}
	if !composeMountsNamedVolume(f, mongo, "/data/db") {
		t.Error("mongo's /data/db is not on a named volume")
	}
}

// composeMountsNamedVolume reports whether s mounts a declared named volume at
// target.
func composeMountsNamedVolume(f composeFile, s composeService, target string) bool {
	for _, v := range s.Volumes {
		if v.Target == target && v.named() {
			_, declared := f.Volumes[v.Source]
			return declared
		}
	}
	return false
}

func TestComposeNATSHasDurableJetStream(t *testing.T) {
	f := loadCompose(t)
	nats, ok := f.Services["nats"]
	if !ok {
		t.Fatal("no nats service")
	}
	if tag, _ := composeImageTag(nats.Image); !strings.HasPrefix(nats.Image, "nats:") || !strings.HasPrefix(tag, "2.12.") {
		t.Errorf("nats image = %q, want NATS 2.12", nats.Image)
	}
	// The config file the container reads, and where it comes from.
	i := slices.IndexFunc(nats.Command, func(s string) bool { return s == "--config" || s == "-c" })
	if i < 0 || i+1 >= len(nats.Command) {
		t.Fatalf("nats command %q names no config file", nats.Command)
	}
	inContainer := nats.Command[i+1]
	var confPath string
	for _, v := range nats.Volumes {
		if v.Target == inContainer {
			confPath = filepath.Join(composeRepoRoot, v.Source)
		}
	}
	if confPath == "" {
		t.Fatalf("%s is not mounted into the nats container", inContainer)
	}
	if want := filepath.Join(composeRepoRoot, "deployments/nats/nats.conf"); filepath.Clean(confPath) != filepath.Clean(want) {
		t.Errorf("nats reads %s, want deployments/nats/nats.conf", confPath)
	}

	// Parsed by the server's own code, as the container will, with the
	// environment compose gives it.
	for k, v := range composeResolvedEnv(t, "nats", nats) {
		t.Setenv(k, v)
	}
	opts, err := server.ProcessConfigFile(confPath)
	if err != nil {
		t.Fatalf("nats.conf: %v", err)
	}
	if !opts.JetStream {
		t.Error("nats.conf: JetStream is not enabled")
	}
	if !opts.SyncAlways {
		t.Error("nats.conf: JetStream does not fsync every write (sync_interval: always)")
	}
	if !composeMountsNamedVolume(f, nats, opts.StoreDir) {
		t.Errorf("nats.conf: store_dir %q is not on a named volume", opts.StoreDir)
	}
	if opts.HTTPPort == 0 {
		t.Fatal("nats.conf: no http monitoring port for the healthcheck")
	}

	if nats.Healthcheck == nil || nats.Healthcheck.Disable {
		t.Fatal("nats has no healthcheck")
	}
	test := strings.Join(nats.Healthcheck.Test, " ")
	if !strings.Contains(test, fmt.Sprintf(":%d/healthz?js-enabled-only=true", opts.HTTPPort)) {
		t.Errorf("nats healthcheck %q does not ask /healthz?js-enabled-only=true on port %d", test, opts.HTTPPort)
	}

	clientPort := opts.Port
	if clientPort == 0 {
		clientPort = server.DEFAULT_PORT
	}
	for _, name := range composeAppServices {
		u, err := url.Parse(composeResolvedEnv(t, name, f.Services[name])["NATS_URL"])
		if err != nil {
			t.Fatalf("%s: NATS_URL: %v", name, err)
		}
		if u.Scheme != "nats" || u.Hostname() != "nats" || u.Port() != fmt.Sprint(clientPort) {
			t.Errorf("%s: NATS_URL = %s, want nats://nats:%d", name, u, clientPort)
		}
	}
	composeNATSUsers(t, f, opts)
}

// composeNATSUsers checks nats.conf's users against shared/natsauth: no
// anonymous access, one user per service with exactly the permissions the
// embedded server gives it, and each service's NATS_URL carrying that
// user and the password the nats container gets.
func composeNATSUsers(t *testing.T, f composeFile, opts *server.Options) {
	t.Helper()
	if opts.NoAuthUser != "" || len(opts.Nkeys) > 0 || opts.Authorization != "" {
		t.Errorf("nats.conf: other ways in besides the service users (no_auth_user %q)", opts.NoAuthUser)
	}
	users := map[string]*server.User{}
	for _, u := range opts.Users {
		users[u.Username] = u
	}
	if len(users) != len(composeAppServices) {
		t.Errorf("nats.conf has users %v, want one per service %v", slices.Sorted(maps.Keys(users)), composeAppServices)
	}
	for _, name := range composeAppServices {
		u := users[name]
		if u == nil {
			t.Errorf("nats.conf: no user %s", name)
			continue
		}
		want, ok := natsauth.For(name)
		if !ok {
			t.Fatalf("shared/natsauth has no user %s", name)
		}
		p := u.Permissions
		if p == nil || p.Publish == nil || p.Subscribe == nil || p.Response == nil {
			t.Errorf("nats.conf: %s lacks publish, subscribe or allow_responses permissions", name)
			continue
		}
		for _, c := range []struct {
			what      string
			got, want []string
		}{
			{"publish allow", p.Publish.Allow, want.PublishAllow},
			{"publish deny", p.Publish.Deny, want.PublishDeny},
			{"subscribe allow", p.Subscribe.Allow, want.SubscribeAllow},
		} {
			if !slices.Equal(slices.Sorted(slices.Values(c.got)), slices.Sorted(slices.Values(c.want))) {
				t.Errorf("nats.conf: %s %s = %v, shared/natsauth says %v", name, c.what, c.got, c.want)
			}
		}
		env := composeResolvedEnv(t, name, f.Services[name])
		nu, err := url.Parse(env["NATS_URL"])
		if err != nil {
			t.Fatal(err)
		}
		pw, _ := nu.User.Password()
		if natsauth.UserOf(env["NATS_URL"]) != name || pw == "" || pw != u.Password {
			t.Errorf("%s: NATS_URL does not carry user %s and its nats.conf password", name, name)
		}
	}
}

func TestComposeGatewayKeepsKeysOnVolume(t *testing.T) {
	f := loadCompose(t)
	gw := f.Services["gateway"]
	dir := composeResolvedEnv(t, "gateway", gw)["TB_KEYS_DIR"]
	if dir == "" {
		t.Skip("the gateway takes TB_SIGNING_KEY instead of a keys folder")
	}
	if !composeMountsNamedVolume(f, gw, dir) {
		t.Errorf("TB_KEYS_DIR %s is not on a named volume: a new container would sign with new keys and log everyone out", dir)
	}
}

// --- production stream definitions (deployments/k8s/nats/streams) ---

// streamDefinition is the part of `nats stream add --config` JSON the platform
// depends on.
type streamDefinition struct {
	Name            string   `json:"name"`
	Subjects        []string `json:"subjects"`
	Retention       string   `json:"retention"`
	Storage         string   `json:"storage"`
	Replicas        int      `json:"num_replicas"`
	DuplicateWindow int64    `json:"duplicate_window"` // nanoseconds
}

func TestStreamDefinitionsMatchEvents(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(composeRepoRoot, "deployments/k8s/nats/streams/*.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]streamDefinition{}
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var s streamDefinition
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		if err := dec.Decode(&s); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if _, dup := got[s.Name]; dup {
			t.Errorf("stream %s is defined twice", s.Name)
		}
		if want := s.Name + ".json"; filepath.Base(p) != want {
			t.Errorf("%s defines %s; name the file %s", p, s.Name, want)
		}
		got[s.Name] = s
	}
	var names []string
	for _, want := range events.Streams {
		names = append(names, want.Name)
		s, ok := got[want.Name]
		if !ok {
			t.Errorf("no definition for stream %s", want.Name)
			continue
		}
		a, b := slices.Clone(s.Subjects), slices.Clone(want.Subjects)
		sort.Strings(a)
		sort.Strings(b)
		if !slices.Equal(a, b) {
			t.Errorf("%s subjects = %q, want %q", want.Name, s.Subjects, want.Subjects)
		}
		if s.Storage != "file" || s.Retention != "limits" {
			t.Errorf("%s: storage %q retention %q, want file and limits", want.Name, s.Storage, s.Retention)
		}
		if s.Replicas != 3 {
			t.Errorf("%s: num_replicas = %d, want 3", want.Name, s.Replicas)
		}
		// The services update the streams with their own window at start,
		// so a different one here would flip back and forth.
		if d := time.Duration(s.DuplicateWindow); d != natsbus.DuplicateWindow || d < 10*time.Minute {
			t.Errorf("%s: duplicate_window = %v, want %v (and at least 10m)", want.Name, d, natsbus.DuplicateWindow)
		}
	}
	for name := range got {
		if !slices.Contains(names, name) {
			t.Errorf("stream %s is defined but the platform has no such stream", name)
		}
	}
}

// The gateway sends its e-mail to the Mailpit service, over the compose
// network, and does not wait for it to start (readiness never depends on
// the mail server).
func TestComposeMailGoesToMailpit(t *testing.T) {
	f := loadCompose(t)
	mp, ok := f.Services["mailpit"]
	if !ok {
		t.Fatal("no mailpit service")
	}
	if !strings.HasPrefix(mp.Image, "axllent/mailpit:") {
		t.Errorf("mailpit image = %q, want axllent/mailpit", mp.Image)
	}
	// The gateway mails notifications, the documents service referee
	// links: both reach Mailpit, link to the same public address, and
	// neither waits for the mail server.
	var public string
	for _, tc := range []struct {
		name string
		cfg  interface{ smtp() config.SMTP }
	}{{"gateway", &composeGatewayMail{}}, {"documents", &composeDocumentsMail{}}} {
		svc := f.Services[tc.name]
		env := composeResolvedEnv(t, tc.name, svc)
		if env["TB_SMTP_ADDR"] != "mailpit:1025" || env["TB_SMTP_TLS"] != "none" {
			t.Errorf("%s TB_SMTP_ADDR=%q TB_SMTP_TLS=%q, want mailpit:1025 without TLS", tc.name, env["TB_SMTP_ADDR"], env["TB_SMTP_TLS"])
		}
		if env["TB_PUBLIC_URL"] == "" || (public != "" && env["TB_PUBLIC_URL"] != public) {
			t.Errorf("%s TB_PUBLIC_URL = %q, want the gateway's %q", tc.name, env["TB_PUBLIC_URL"], public)
		}
		public = env["TB_PUBLIC_URL"]
		if _, waits := svc.DependsOn["mailpit"]; waits {
			t.Errorf("%s depends_on mailpit: its start and readiness must not wait for the mail server", tc.name)
		}
		for k, v := range env {
			t.Setenv(k, v)
		}
		if err := composeLoadConfig(tc.cfg); err != nil {
			t.Fatalf("%s config from compose: %v", tc.name, err)
		}
		if c := tc.cfg.smtp(); !c.Enabled() || c.From == "" {
			t.Errorf("%s SMTP settings from compose = %s, want e-mail on", tc.name, c)
		}
	}
}

// composeGatewayMail and composeDocumentsMail are the services' configs,
// read as the services read them, with their SMTP part.
type (
	composeGatewayMail   struct{ gateway.Config }
	composeDocumentsMail struct{ documents.Config }
)

func (c *composeGatewayMail) smtp() config.SMTP   { return c.SMTP }
func (c *composeDocumentsMail) smtp() config.SMTP { return c.SMTP }
