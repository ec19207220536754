// Package k8s holds the Kubernetes manifests; this test renders them with
// kustomize (as `kubectl apply -k` would) and checks what would be applied.
package k8s

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	yamlv3 "go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

const namespace = "talentbridge"

// services are the Deployments the platform runs.
var services = []string{"gateway", "profiles", "programs", "matching", "documents", "placements"}

// autoscaled are the Deployments that must have a HorizontalPodAutoscaler.
var autoscaled = []string{"gateway", "matching"}

// rendered is a kustomization's output, decoded into the API types. Every
// object is decoded strictly: a misspelt or misplaced field is an error, as
// it would be for `kubectl apply --validate=strict`.
type rendered struct {
	Deployments     []appsv1.Deployment
	Services        []corev1.Service
	PDBs            []policyv1.PodDisruptionBudget
	HPAs            []autoscalingv2.HorizontalPodAutoscaler
	NetworkPolicies []networkingv1.NetworkPolicy
	Ingresses       []networkingv1.Ingress
	ConfigMaps      []corev1.ConfigMap
	Secrets         []corev1.Secret
	ServiceAccounts []corev1.ServiceAccount
	Namespaces      []corev1.Namespace
}

// apiVersions are the versions the manifests are written for (and the
// types they are decoded into).
var apiVersions = map[string]string{
	"Deployment":              "apps/v1",
	"Service":                 "v1",
	"PodDisruptionBudget":     "policy/v1",
	"HorizontalPodAutoscaler": "autoscaling/v2",
	"NetworkPolicy":           "networking.k8s.io/v1",
	"Ingress":                 "networking.k8s.io/v1",
	"ConfigMap":               "v1",
	"Secret":                  "v1",
	"ServiceAccount":          "v1",
	"Namespace":               "v1",
}

func render(t *testing.T, dir string) rendered {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resMap, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	var out rendered
	for _, r := range resMap.Resources() {
		raw, err := r.MarshalJSON()
		if err != nil {
			t.Fatalf("%s: %v", r.CurId(), err)
		}
		kind := r.GetKind()
		if want, ok := apiVersions[kind]; ok && r.GetApiVersion() != want {
			t.Errorf("%s %s: apiVersion %s, want %s", kind, r.GetName(), r.GetApiVersion(), want)
		}
		var target any
		switch kind {
		case "Deployment":
			target = appendZero(&out.Deployments)
		case "Service":
			target = appendZero(&out.Services)
		case "PodDisruptionBudget":
			target = appendZero(&out.PDBs)
		case "HorizontalPodAutoscaler":
			target = appendZero(&out.HPAs)
		case "NetworkPolicy":
			target = appendZero(&out.NetworkPolicies)
		case "Ingress":
			target = appendZero(&out.Ingresses)
		case "ConfigMap":
			target = appendZero(&out.ConfigMaps)
		case "Secret":
			target = appendZero(&out.Secrets)
		case "ServiceAccount":
			target = appendZero(&out.ServiceAccounts)
		case "Namespace":
			target = appendZero(&out.Namespaces)
		default:
			t.Fatalf("%s renders a %s, which this test does not check yet", dir, kind)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(target); err != nil {
			t.Fatalf("%s %s: %v", kind, r.GetName(), err)
		}
	}
	return out
}

// prod renders overlays/prod once for all the tests.
var prodCache *rendered

func prod(t *testing.T) rendered {
	t.Helper()
	if prodCache == nil {
		r := render(t, "overlays/prod")
		prodCache = &r
	}
	return *prodCache
}

func TestBaseRenders(t *testing.T) {
	r := render(t, "base")
	if len(r.Deployments) != len(services) {
		t.Errorf("base renders %d Deployments, want %d", len(r.Deployments), len(services))
	}
}

func TestProdDeploymentsHaveProbesAndResources(t *testing.T) {
	r := prod(t)
	var names []string
	for _, d := range r.Deployments {
		names = append(names, d.Name)
		pod := d.Spec.Template.Spec
		for _, c := range append(slices.Clone(pod.InitContainers), pod.Containers...) {
			where := d.Name + "/" + c.Name
			checkProbe(t, where+" readinessProbe", c.ReadinessProbe, "/readyz", c)
			checkProbe(t, where+" livenessProbe", c.LivenessProbe, "/healthz", c)
			for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				req, hasReq := c.Resources.Requests[res]
				lim, hasLim := c.Resources.Limits[res]
				if !hasReq || !hasLim {
					t.Errorf("%s: %s request and limit must both be set (request %v, limit %v)", where, res, hasReq, hasLim)
				} else if req.Cmp(lim) > 0 {
					t.Errorf("%s: %s request %s is above the limit %s", where, res, req.String(), lim.String())
				}
			}
			checkGoMemLimit(t, where, c)
		}
	}
	for _, s := range services {
		if !slices.Contains(names, s) {
			t.Errorf("no Deployment %s", s)
		}
	}
}

func checkProbe(t *testing.T, where string, p *corev1.Probe, path string, c corev1.Container) {
	t.Helper()
	if p == nil {
		t.Errorf("%s: missing", where)
		return
	}
	if p.HTTPGet == nil || p.HTTPGet.Path != path {
		t.Errorf("%s: want an HTTP GET of %s", where, path)
		return
	}
	port := p.HTTPGet.Port
	found := slices.ContainsFunc(c.Ports, func(cp corev1.ContainerPort) bool {
		return (port.StrVal != "" && cp.Name == port.StrVal) || (port.StrVal == "" && cp.ContainerPort == port.IntVal)
	})
	if !found {
		t.Errorf("%s: port %s is not a port of the container", where, port.String())
	}
}

// checkGoMemLimit: a GOMEMLIMIT at or above the container's memory limit
// would let the kernel kill the process before the GC tries harder.
func checkGoMemLimit(t *testing.T, where string, c corev1.Container) {
	t.Helper()
	for _, e := range c.Env {
		if e.Name != "GOMEMLIMIT" {
			continue
		}
		v := strings.TrimSuffix(e.Value, "B") // Go writes MiB; Kubernetes Mi
		q, err := resource.ParseQuantity(v)
		if err != nil {
			t.Errorf("%s: GOMEMLIMIT %q: %v", where, e.Value, err)
			continue
		}
		if lim, ok := c.Resources.Limits[corev1.ResourceMemory]; ok && q.Cmp(lim) >= 0 {
			t.Errorf("%s: GOMEMLIMIT %s is not below the memory limit %s", where, e.Value, lim.String())
		}
	}
}

func TestProdDeploymentsAreLockedDown(t *testing.T) {
	for _, d := range prod(t).Deployments {
		pod := d.Spec.Template.Spec
		psc := pod.SecurityContext
		for _, c := range pod.Containers {
			where := d.Name + "/" + c.Name
			sc := c.SecurityContext
			nonRoot := (sc != nil && sc.RunAsNonRoot != nil && *sc.RunAsNonRoot) ||
				(psc != nil && psc.RunAsNonRoot != nil && *psc.RunAsNonRoot)
			if !nonRoot {
				t.Errorf("%s: runAsNonRoot is not set", where)
			}
			if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
				t.Errorf("%s: the root filesystem is writable", where)
			}
			if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				t.Errorf("%s: allowPrivilegeEscalation is not false", where)
			}
			if sc == nil || sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
				t.Errorf("%s: capabilities are not dropped (drop: [ALL])", where)
			}
		}
		if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
			t.Errorf("%s: mounts a service account token it does not need", d.Name)
		}
	}
}

// imagePinned reports whether ref names a tag other than latest, or a
// digest.
func imagePinned(ref string) bool {
	ref, digest, hasDigest := strings.Cut(ref, "@")
	if hasDigest {
		return strings.HasPrefix(digest, "sha256:")
	}
	name := ref[strings.LastIndex(ref, "/")+1:]
	_, tag, ok := strings.Cut(name, ":")
	return ok && tag != "" && tag != "latest"
}

func TestImagePinned(t *testing.T) {
	for ref, want := range map[string]bool{
		"registry.example.org/talentbridge/gateway:0.1.0":   true,
		"registry.example.org:5000/talentbridge/gateway":    false,
		"registry.example.org/talentbridge/gateway:latest":  false,
		"talentbridge/gateway":                              false,
		"talentbridge/gateway@sha256:0123456789abcdef":      true,
		"registry.example.org:5000/talentbridge/gateway:v1": true,
	} {
		if got := imagePinned(ref); got != want {
			t.Errorf("imagePinned(%q) = %v, want %v", ref, got, want)
		}
	}
}

func TestProdImagesArePinned(t *testing.T) {
	for _, d := range prod(t).Deployments {
		pod := d.Spec.Template.Spec
		for _, c := range append(slices.Clone(pod.InitContainers), pod.Containers...) {
			if !imagePinned(c.Image) {
				t.Errorf("%s/%s: image %q is not pinned (no tag, or latest)", d.Name, c.Name, c.Image)
			}
			if strings.HasPrefix(c.Image, "talentbridge/") {
				t.Errorf("%s/%s: image %q still has the base's name; set newName in the overlay", d.Name, c.Name, c.Image)
			}
		}
	}
}

func selects(t *testing.T, sel *metav1.LabelSelector, podLabels map[string]string) bool {
	t.Helper()
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		t.Fatalf("selector %v: %v", sel, err)
	}
	return !s.Empty() && s.Matches(labels.Set(podLabels))
}

func TestProdEveryDeploymentHasPDBAndService(t *testing.T) {
	r := prod(t)
	for _, d := range r.Deployments {
		podLabels := d.Spec.Template.Labels
		pdbs := 0
		for _, p := range r.PDBs {
			if selects(t, p.Spec.Selector, podLabels) {
				pdbs++
				if p.Spec.MinAvailable == nil && p.Spec.MaxUnavailable == nil {
					t.Errorf("PodDisruptionBudget %s sets neither minAvailable nor maxUnavailable", p.Name)
				}
			}
		}
		if pdbs != 1 {
			t.Errorf("%s: %d PodDisruptionBudgets select its pods, want 1", d.Name, pdbs)
		}
		svcs := 0
		for _, s := range r.Services {
			if len(s.Spec.Selector) > 0 && labels.SelectorFromSet(s.Spec.Selector).Matches(labels.Set(podLabels)) {
				svcs++
			}
		}
		if svcs != 1 {
			t.Errorf("%s: %d Services select its pods, want 1", d.Name, svcs)
		}
	}
}

func TestProdReplicasAndAutoscalers(t *testing.T) {
	r := prod(t)
	hpas := map[string]autoscalingv2.HorizontalPodAutoscaler{}
	for _, h := range r.HPAs {
		ref := h.Spec.ScaleTargetRef
		if ref.Kind != "Deployment" || ref.APIVersion != "apps/v1" {
			t.Errorf("HPA %s scales %s %s, want an apps/v1 Deployment", h.Name, ref.APIVersion, ref.Kind)
		}
		hpas[ref.Name] = h
		if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 2 {
			t.Errorf("HPA %s: minReplicas must be at least 2", h.Name)
		}
		if h.Spec.MaxReplicas <= 2 || len(h.Spec.Metrics) == 0 {
			t.Errorf("HPA %s: no room or no metric to scale on", h.Name)
		}
	}
	for _, name := range autoscaled {
		if _, ok := hpas[name]; !ok {
			t.Errorf("no HorizontalPodAutoscaler for %s", name)
		}
	}
	for _, d := range r.Deployments {
		_, scaled := hpas[d.Name]
		switch {
		case scaled && d.Spec.Replicas != nil:
			t.Errorf("%s: replicas is set although an HPA scales it; every apply would reset the count", d.Name)
		case !scaled && (d.Spec.Replicas == nil || *d.Spec.Replicas < 2):
			t.Errorf("%s: fewer than 2 replicas and no HPA: one node drain takes it down", d.Name)
		}
	}
	for name := range hpas {
		if !slices.ContainsFunc(r.Deployments, func(d appsv1.Deployment) bool { return d.Name == name }) {
			t.Errorf("an HPA scales %s, which is not rendered", name)
		}
	}
}

// peerIsOutside reports whether a policy peer admits traffic from beyond
// the namespace (another namespace, or addresses).
func peerIsOutside(p networkingv1.NetworkPolicyPeer) bool {
	return p.NamespaceSelector != nil || p.IPBlock != nil
}

func TestProdNetworkPolicies(t *testing.T) {
	r := prod(t)
	denyIngress, denyEgress := false, false
	for _, np := range r.NetworkPolicies {
		if len(np.Spec.PodSelector.MatchLabels) == 0 && len(np.Spec.PodSelector.MatchExpressions) == 0 {
			if slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) && len(np.Spec.Ingress) == 0 {
				denyIngress = true
			}
			if slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress) && len(np.Spec.Egress) == 0 {
				denyEgress = true
			}
		}
	}
	if !denyIngress {
		t.Error("no default-deny ingress policy for the namespace")
	}
	if !denyEgress {
		t.Error("no default-deny egress policy for the namespace")
	}

	podLabels := map[string]map[string]string{}
	for _, d := range r.Deployments {
		podLabels[d.Name] = d.Spec.Template.Labels
	}
	for _, d := range r.Deployments {
		outside, fromGateway := false, false
		egressPorts := map[int32]bool{}
		for _, np := range r.NetworkPolicies {
			if !selectsPods(t, np.Spec.PodSelector, d.Spec.Template.Labels) {
				continue
			}
			for _, rule := range np.Spec.Ingress {
				if len(rule.From) == 0 {
					outside = true // every source
				}
				for _, p := range rule.From {
					if peerIsOutside(p) {
						outside = true
						continue
					}
					// A pod selector in this namespace: which of our pods may
					// come in?
					for name, l := range podLabels {
						if p.PodSelector != nil && selectsPods(t, *p.PodSelector, l) {
							if name != "gateway" && d.Name != "gateway" {
								t.Errorf("%s: NetworkPolicy %s lets %s in; only the gateway may call the services", d.Name, np.Name, name)
							}
							fromGateway = fromGateway || name == "gateway"
						}
					}
				}
			}
			for _, rule := range np.Spec.Egress {
				for _, p := range rule.Ports {
					if p.Port != nil && p.Port.IntVal != 0 {
						egressPorts[p.Port.IntVal] = true
					}
				}
			}
		}
		if d.Name == "gateway" {
			if !outside {
				t.Error("gateway: no NetworkPolicy lets traffic in from outside the namespace")
			}
		} else {
			if outside {
				t.Errorf("%s: a NetworkPolicy lets traffic in from outside the namespace; only the gateway may be reached", d.Name)
			}
			if !fromGateway {
				t.Errorf("%s: the gateway may not reach it", d.Name)
			}
		}
		for port, what := range map[int32]string{53: "DNS", 4222: "NATS", 27017: "MongoDB"} {
			if !egressPorts[port] {
				t.Errorf("%s: no egress to %s (port %d)", d.Name, what, port)
			}
		}
	}
}

func selectsPods(t *testing.T, sel metav1.LabelSelector, podLabels map[string]string) bool {
	t.Helper()
	s, err := metav1.LabelSelectorAsSelector(&sel)
	if err != nil {
		t.Fatalf("selector %v: %v", sel, err)
	}
	return s.Matches(labels.Set(podLabels)) // an empty selector selects every pod
}

// operatorSecrets are the Secrets the MongoDB operator writes into the
// namespace (connectionStringSecretNamespace), with the keys it writes.
func operatorSecrets(t *testing.T) map[string][]string {
	t.Helper()
	var mdb struct {
		Metadata struct{ Namespace string }
		Spec     struct {
			Users []struct {
				ConnectionStringSecretName      string `yaml:"connectionStringSecretName"`
				ConnectionStringSecretNamespace string `yaml:"connectionStringSecretNamespace"`
			}
		}
	}
	decodeYAMLFile(t, "mongodb/mongodb.yaml", &mdb)
	out := map[string][]string{}
	for _, u := range mdb.Spec.Users {
		if u.ConnectionStringSecretName != "" && u.ConnectionStringSecretNamespace == namespace {
			out[u.ConnectionStringSecretName] = []string{"connectionString.standard", "connectionString.standardSrv", "username", "password"}
		}
	}
	return out
}

func TestProdReferencedSecretsAndConfigMapsExist(t *testing.T) {
	r := prod(t)
	secrets := operatorSecrets(t)
	for _, s := range r.Secrets {
		var keys []string
		for k := range s.Data {
			keys = append(keys, k)
		}
		for k := range s.StringData {
			keys = append(keys, k)
		}
		secrets[s.Name] = keys
	}
	configMaps := map[string][]string{}
	for _, c := range r.ConfigMaps {
		for k := range c.Data {
			configMaps[c.Name] = append(configMaps[c.Name], k)
		}
	}
	accounts := map[string]bool{}
	for _, sa := range r.ServiceAccounts {
		accounts[sa.Name] = true
	}
	check := func(where, kind, name, key string, have map[string][]string, optional *bool) {
		if optional != nil && *optional {
			return
		}
		keys, ok := have[name]
		if !ok {
			t.Errorf("%s: %s %q is not rendered (nor written by the MongoDB operator)", where, kind, name)
			return
		}
		if key != "" && !slices.Contains(keys, key) {
			t.Errorf("%s: %s %q has no key %q", where, kind, name, key)
		}
	}
	for _, d := range r.Deployments {
		pod := d.Spec.Template.Spec
		if sa := pod.ServiceAccountName; sa != "" && !accounts[sa] {
			t.Errorf("%s: ServiceAccount %q is not rendered", d.Name, sa)
		}
		for _, c := range pod.Containers {
			where := d.Name + "/" + c.Name
			for _, ef := range c.EnvFrom {
				if ef.SecretRef != nil {
					check(where, "Secret", ef.SecretRef.Name, "", secrets, ef.SecretRef.Optional)
				}
				if ef.ConfigMapRef != nil {
					check(where, "ConfigMap", ef.ConfigMapRef.Name, "", configMaps, ef.ConfigMapRef.Optional)
				}
			}
			for _, e := range c.Env {
				if e.ValueFrom == nil {
					continue
				}
				if ref := e.ValueFrom.SecretKeyRef; ref != nil {
					check(where+" env "+e.Name, "Secret", ref.Name, ref.Key, secrets, ref.Optional)
				}
				if ref := e.ValueFrom.ConfigMapKeyRef; ref != nil {
					check(where+" env "+e.Name, "ConfigMap", ref.Name, ref.Key, configMaps, ref.Optional)
				}
			}
		}
		for _, v := range pod.Volumes {
			if v.Secret != nil {
				check(d.Name+" volume "+v.Name, "Secret", v.Secret.SecretName, "", secrets, v.Secret.Optional)
			}
			if v.ConfigMap != nil {
				check(d.Name+" volume "+v.Name, "ConfigMap", v.ConfigMap.Name, "", configMaps, v.ConfigMap.Optional)
			}
		}
	}
}

// envOf returns the variables a container gets from literal values and
// rendered ConfigMaps and Secrets (values of Secrets base64-decoded by the
// API types already), keyed by name; values from operator Secrets are "?".
func envOf(r rendered, c corev1.Container) map[string]string {
	out := map[string]string{}
	for _, ef := range c.EnvFrom {
		for _, cm := range r.ConfigMaps {
			if ef.ConfigMapRef != nil && cm.Name == ef.ConfigMapRef.Name {
				for k, v := range cm.Data {
					out[k] = v
				}
			}
		}
		for _, s := range r.Secrets {
			if ef.SecretRef != nil && s.Name == ef.SecretRef.Name {
				for k, v := range s.Data {
					out[k] = string(v)
				}
			}
		}
	}
	for _, e := range c.Env {
		if ref := e.ValueFrom; ref != nil && ref.ConfigMapKeyRef != nil {
			out[e.Name] = "?"
			for _, cm := range r.ConfigMaps {
				if v, ok := cm.Data[ref.ConfigMapKeyRef.Key]; ok && cm.Name == ref.ConfigMapKeyRef.Name {
					out[e.Name] = v
				}
			}
		} else if ref != nil {
			out[e.Name] = "?"
		} else {
			out[e.Name] = e.Value
		}
	}
	return out
}

func TestProdServiceEnvironment(t *testing.T) {
	r := prod(t)
	for _, d := range r.Deployments {
		for _, c := range d.Spec.Template.Spec.Containers {
			env := envOf(r, c)
			for _, k := range []string{"NATS_URL", "MONGODB_URI", "TB_HTTP_ADDR"} {
				if env[k] == "" {
					t.Errorf("%s: %s is not set", d.Name, k)
				}
			}
			// DESIGN.md §2: production streams have 3 replicas. The
			// services create the streams with this many.
			if env["TB_STREAM_REPLICAS"] != "3" {
				t.Errorf("%s: TB_STREAM_REPLICAS = %q, want 3", d.Name, env["TB_STREAM_REPLICAS"])
			}
			if addr := env["TB_HTTP_ADDR"]; !strings.HasSuffix(addr, ":8080") || c.Ports[0].ContainerPort != 8080 {
				t.Errorf("%s: listens on %q but the container port is %d", d.Name, addr, c.Ports[0].ContainerPort)
			}
			if d.Name != "gateway" {
				continue
			}
			for k, svc := range map[string]string{"TB_PROFILES_URL": "profiles", "TB_PROGRAMS_URL": "programs", "TB_MATCHING_URL": "matching", "TB_DOCUMENTS_URL": "documents", "TB_PLACEMENTS_URL": "placements"} {
				if want := "http://" + svc + ":8080"; env[k] != want {
					t.Errorf("gateway: %s = %q, want %q", k, env[k], want)
				}
			}
			// Several replicas must sign with one key: from the Secret, not
			// a folder each replica would fill with its own.
			for _, k := range []string{"TB_SIGNING_KEY", "TB_ADMIN_EMAIL", "TB_ADMIN_PASSWORD"} {
				if _, ok := env[k]; !ok {
					t.Errorf("gateway: %s is not set", k)
				}
			}
			if env["TB_COOKIE_SECURE"] != "true" {
				t.Error("gateway: TB_COOKIE_SECURE is not true behind the TLS Ingress")
			}
		}
	}
}

func TestProdIngressReachesGatewayOnly(t *testing.T) {
	r := prod(t)
	if len(r.Ingresses) == 0 {
		t.Fatal("no Ingress in prod")
	}
	for _, ing := range r.Ingresses {
		if len(ing.Spec.TLS) == 0 {
			t.Errorf("Ingress %s has no TLS", ing.Name)
		}
		for _, rule := range ing.Spec.Rules {
			if rule.HTTP == nil {
				continue
			}
			for _, p := range rule.HTTP.Paths {
				if p.Backend.Service == nil || p.Backend.Service.Name != "gateway" {
					t.Errorf("Ingress %s routes %s to %v; only the gateway is public", ing.Name, p.Path, p.Backend.Service)
				}
			}
		}
	}
}

func TestProdNamespace(t *testing.T) {
	r := prod(t)
	check := func(kind string, m metav1.ObjectMeta) {
		if m.Namespace != namespace {
			t.Errorf("%s %s is in namespace %q, want %q", kind, m.Name, m.Namespace, namespace)
		}
	}
	for _, o := range r.Deployments {
		check("Deployment", o.ObjectMeta)
	}
	for _, o := range r.NetworkPolicies {
		check("NetworkPolicy", o.ObjectMeta)
	}
	for _, o := range r.Secrets {
		check("Secret", o.ObjectMeta)
	}
	if len(r.Namespaces) != 1 || r.Namespaces[0].Name != namespace {
		t.Errorf("want the Namespace %s rendered", namespace)
	}
}

// --- files applied outside kustomize ---

func decodeYAMLFile(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yamlv3.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestEveryYAMLFileParses catches syntax errors in files no test renders
// (components, values).
func TestEveryYAMLFileParses(t *testing.T) {
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dec := yamlv3.NewDecoder(bytes.NewReader(raw))
		for {
			var doc any
			if err := dec.Decode(&doc); err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Errorf("%s: %v", path, err)
				break
			}
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Errorf("parsed %d YAML files; the walk missed the manifests", n)
	}
}

func TestNATSHelmValues(t *testing.T) {
	var v struct {
		Config struct {
			Cluster struct {
				Enabled  bool
				Replicas int
			}
			JetStream struct {
				Enabled   bool
				FileStore struct {
					Enabled bool
					PVC     struct {
						Enabled bool
						Size    string
					} `yaml:"pvc"`
				} `yaml:"fileStore"`
				Merge map[string]any
			} `yaml:"jetstream"`
		}
		Container struct {
			Image struct {
				Repository string
				Tag        string
			}
		}
	}
	decodeYAMLFile(t, "nats/values.yaml", &v)
	if !v.Config.Cluster.Enabled || v.Config.Cluster.Replicas != 3 {
		t.Errorf("cluster: enabled %v, replicas %d; want a 3-node cluster", v.Config.Cluster.Enabled, v.Config.Cluster.Replicas)
	}
	js := v.Config.JetStream
	if !js.Enabled || !js.FileStore.Enabled || !js.FileStore.PVC.Enabled || js.FileStore.PVC.Size == "" {
		t.Errorf("jetstream %+v: want JetStream on file storage with a PersistentVolumeClaim", js)
	}
	if js.Merge["sync_interval"] != "always" {
		t.Errorf("jetstream sync_interval = %v, want always", js.Merge["sync_interval"])
	}
	if v.Container.Image.Repository != "nats" || !strings.HasPrefix(v.Container.Image.Tag, "2.12.") {
		t.Errorf("image %s:%s, want nats:2.12.x pinned", v.Container.Image.Repository, v.Container.Image.Tag)
	}
}

func TestMongoDBCommunity(t *testing.T) {
	var m struct {
		Kind     string
		Metadata struct{ Name, Namespace string }
		Spec     struct {
			Type    string
			Members int
			Version string
			Users   []struct {
				Name  string
				Roles []struct{ Name, DB string }
			}
		}
	}
	decodeYAMLFile(t, "mongodb/mongodb.yaml", &m)
	if m.Kind != "MongoDBCommunity" || m.Spec.Type != "ReplicaSet" || m.Spec.Members != 3 {
		t.Errorf("%s %s: type %s with %d members; want a 3-member ReplicaSet", m.Kind, m.Metadata.Name, m.Spec.Type, m.Spec.Members)
	}
	if !strings.HasPrefix(m.Spec.Version, "8.") {
		t.Errorf("version %q, want MongoDB 8", m.Spec.Version)
	}
	// The NetworkPolicy allows the pods the operator labels app=<name>-svc.
	if m.Metadata.Name != "talentbridge-mongodb" || m.Metadata.Namespace != "mongodb" {
		t.Errorf("resource %s/%s; the NetworkPolicies expect mongodb/talentbridge-mongodb", m.Metadata.Namespace, m.Metadata.Name)
	}
	// Each service's user reaches its own database only.
	dbOf := map[string]string{"gateway": "identity", "profiles": "profiles", "programs": "programs", "matching": "matching", "documents": "documents", "placements": "placements"}
	secrets := operatorSecrets(t)
	for svc, db := range dbOf {
		user := "talentbridge-" + svc
		i := slices.IndexFunc(m.Spec.Users, func(u struct {
			Name  string
			Roles []struct{ Name, DB string }
		}) bool {
			return u.Name == user
		})
		if i < 0 {
			t.Errorf("no MongoDB user %s", user)
			continue
		}
		for _, r := range m.Spec.Users[i].Roles {
			if r.DB != db || r.Name != "readWrite" {
				t.Errorf("user %s has role %s on %s; want readWrite on %s only", user, r.Name, r.DB, db)
			}
		}
		if _, ok := secrets["talentbridge-"+svc+"-mongodb"]; !ok {
			t.Errorf("user %s: the operator does not write its connection string into namespace %s", user, namespace)
		}
	}
}

// streamConfig is the part of a `nats stream add --config` file that
// production depends on. (services/standalone's tests compare the subjects
// with shared/events.)
type streamConfig struct {
	Name            string   `json:"name"`
	Subjects        []string `json:"subjects"`
	Retention       string   `json:"retention"`
	Storage         string   `json:"storage"`
	Replicas        int      `json:"num_replicas"`
	DuplicateWindow int64    `json:"duplicate_window"`
}

func TestStreamDefinitions(t *testing.T) {
	files, err := filepath.Glob("nats/streams/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var s streamConfig
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		names = append(names, s.Name)
		if s.Storage != "file" || s.Replicas != 3 || s.Retention != "limits" || len(s.Subjects) == 0 {
			t.Errorf("%s: %+v; want file storage, limits retention, 3 replicas and subjects", p, s)
		}
		if d := time.Duration(s.DuplicateWindow); d < 10*time.Minute {
			t.Errorf("%s: duplicate window %v, want at least 10m", p, d)
		}
	}
	slices.Sort(names)
	if want := []string{"DEADLETTER", "DOCUMENTS", "IDENTITY", "MATCHING", "PLACEMENTS", "PROFILES", "PROGRAMS"}; !slices.Equal(names, want) {
		t.Errorf("streams %v, want %v", names, want)
	}
}

// appendZero appends a zero T to *list and returns a pointer to it, for
// decoding the next object into.
func appendZero[T any](list *[]T) *T {
	var zero T
	*list = append(*list, zero)
	return &(*list)[len(*list)-1]
}

// E-mail settings reach the gateway (notifications) and the documents
// service (referee links) from an optional Secret (the platform runs
// without e-mail), and the links in mails point at the Ingress host.
func TestProdGatewayMailSettings(t *testing.T) {
	r := prod(t)
	seen := map[string]bool{}
	for _, d := range r.Deployments {
		if d.Name != "gateway" && d.Name != "documents" {
			continue
		}
		seen[d.Name] = true
		c := d.Spec.Template.Spec.Containers[0]
		found := false
		for _, ef := range c.EnvFrom {
			if ef.SecretRef != nil && ef.SecretRef.Name == "gateway-smtp" {
				found = true
				if ef.SecretRef.Optional == nil || !*ef.SecretRef.Optional {
					t.Errorf("%s: the gateway-smtp Secret must be optional", d.Name)
				}
			}
		}
		if !found {
			t.Errorf("%s: no envFrom of the gateway-smtp Secret (TB_SMTP_*)", d.Name)
		}
		if u := envOf(r, c)["TB_PUBLIC_URL"]; !strings.HasPrefix(u, "https://") {
			t.Errorf("%s: TB_PUBLIC_URL = %q, want the https address of the Ingress", d.Name, u)
		}
	}
	if !seen["gateway"] || !seen["documents"] {
		t.Fatalf("rendered Deployments %v, want gateway and documents", seen)
	}
}
