package recommend

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/scoring"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// This file generates believable, deterministic test data: Indian and
// Japanese students, researchers and company staff, and programs hosted by
// universities, institutes and companies in both countries. The same seed
// always gives the same data, so benchmarks compare like with like.

// topic is a research area: the fields it belongs to, the skills people in
// it list, and phrases for statements and descriptions in English and
// Japanese.
type topic struct {
	fields  []string
	skills  []string
	phrases []string
	ja      []string
}

var topics = []topic{
	{[]string{"1.2"}, []string{"python", "machine learning", "deep learning", "nlp", "pytorch", "transformers", "data science"},
		[]string{"natural language processing for Indian and Japanese languages", "large language models", "speech recognition", "machine translation", "information retrieval"},
		[]string{"自然言語処理", "機械翻訳", "音声認識", "大規模言語モデル"}},
	{[]string{"1.2"}, []string{"computer vision", "opencv", "deep learning", "python", "c++", "image processing"},
		[]string{"computer vision for autonomous vehicles", "medical image analysis", "object detection in crowded scenes", "3d reconstruction"},
		[]string{"画像認識", "コンピュータビジョン", "自動運転", "物体検出"}},
	{[]string{"1.2", "2.2"}, []string{"distributed systems", "go", "kubernetes", "cloud computing", "rust", "databases"},
		[]string{"distributed databases", "cloud infrastructure at scale", "fault tolerant systems", "edge computing for smart cities"},
		[]string{"分散システム", "クラウド基盤", "エッジコンピューティング"}},
	{[]string{"1.2"}, []string{"cybersecurity", "cryptography", "network security", "c", "linux"},
		[]string{"post-quantum cryptography", "network intrusion detection", "secure payment systems", "privacy-preserving computation"},
		[]string{"情報セキュリティ", "暗号理論", "プライバシー保護"}},
	{[]string{"2.2", "2.3"}, []string{"robotics", "ros", "control systems", "c++", "slam", "embedded systems"},
		[]string{"autonomous mobile robots", "robot manipulation", "human-robot interaction", "disaster response robots", "agricultural robotics"},
		[]string{"ロボット工学", "自律移動ロボット", "災害対応ロボット", "制御工学"}},
	{[]string{"2.2"}, []string{"vlsi", "fpga", "verilog", "semiconductor devices", "embedded systems", "pcb design"},
		[]string{"low-power chip design", "semiconductor devices", "hardware accelerators for AI", "5g radio circuits"},
		[]string{"半導体", "集積回路設計", "低消費電力"}},
	{[]string{"2.2", "2.7"}, []string{"power electronics", "renewable energy", "smart grid", "battery management", "matlab"},
		[]string{"solar power integration in the grid", "electric vehicle charging", "smart grid control", "energy storage systems"},
		[]string{"再生可能エネルギー", "電力系統", "電気自動車", "蓄電池"}},
	{[]string{"2.3"}, []string{"cad", "finite element analysis", "cfd", "solidworks", "manufacturing", "additive manufacturing"},
		[]string{"lightweight automotive structures", "3d printing of metal parts", "turbine aerodynamics", "precision manufacturing"},
		[]string{"機械設計", "自動車", "積層造形", "流体力学"}},
	{[]string{"2.1", "1.5"}, []string{"earthquake engineering", "structural engineering", "gis", "remote sensing", "python"},
		[]string{"earthquake resistant buildings", "tsunami damage mapping", "landslide monitoring from satellites", "resilient infrastructure"},
		[]string{"地震工学", "防災", "津波", "耐震構造"}},
	{[]string{"1.5", "2.7"}, []string{"climate modelling", "remote sensing", "hydrology", "gis", "r", "python"},
		[]string{"monsoon rainfall prediction", "glacier retreat in the Himalaya", "urban heat islands", "water resources management"},
		[]string{"気候変動", "水資源", "リモートセンシング", "モンスーン"}},
	{[]string{"2.5", "1.4"}, []string{"battery materials", "electrochemistry", "materials characterization", "xrd", "nanomaterials"},
		[]string{"solid-state batteries", "catalysts for green hydrogen", "perovskite solar cells", "recycling of battery metals"},
		[]string{"全固体電池", "水素", "材料工学", "触媒"}},
	{[]string{"1.6", "3.1"}, []string{"bioinformatics", "genomics", "molecular biology", "crispr", "python", "r"},
		[]string{"genomics of rice and millet", "antibiotic resistance", "single-cell sequencing", "protein structure prediction"},
		[]string{"ゲノム解析", "分子生物学", "バイオインフォマティクス"}},
	{[]string{"3.2", "3.3"}, []string{"epidemiology", "public health", "clinical research", "biostatistics", "medical imaging"},
		[]string{"diabetes prevention in ageing societies", "tuberculosis screening", "maternal health", "digital health records"},
		[]string{"公衆衛生", "高齢社会", "疫学", "医療データ"}},
	{[]string{"4.1"}, []string{"agronomy", "soil science", "plant breeding", "precision agriculture", "gis"},
		[]string{"drought tolerant crops", "precision farming with drones", "soil health", "post-harvest loss reduction"},
		[]string{"農業", "スマート農業", "作物育種"}},
	{[]string{"5.2"}, []string{"economics", "econometrics", "finance", "business analytics", "supply chain", "stata"},
		[]string{"India–Japan trade and investment", "supply chain resilience", "startup ecosystems", "financial inclusion"},
		[]string{"経済学", "サプライチェーン", "日印貿易", "スタートアップ"}},
	{[]string{"5.3", "5.4"}, []string{"qualitative research", "survey design", "education policy", "statistics"},
		[]string{"higher education exchange", "skills training for young people", "migration and work", "gender and technology"},
		[]string{"教育政策", "国際交流", "社会調査"}},
	{[]string{"6.2", "6.1"}, []string{"japanese", "translation", "linguistics", "history", "archival research"},
		[]string{"Buddhist manuscripts", "modern Japanese literature", "Sanskrit and Japanese loanwords", "Meiji era history"},
		[]string{"日本文学", "言語学", "翻訳", "歴史"}},
}

var genericSkills = []string{"project management", "technical writing", "statistics", "data analysis", "teamwork", "presentation", "excel", "git"}

type site struct{ name, country, region string }

var (
	indianUniversities = []site{
		{"IIT Madras", "IN", "Tamil Nadu"}, {"IIT Bombay", "IN", "Maharashtra"}, {"IIT Delhi", "IN", "Delhi"},
		{"IISc Bangalore", "IN", "Karnataka"}, {"IIT Kharagpur", "IN", "West Bengal"}, {"IIT Kanpur", "IN", "Uttar Pradesh"},
		{"IIT Hyderabad", "IN", "Telangana"}, {"IIIT Hyderabad", "IN", "Telangana"}, {"Anna University", "IN", "Tamil Nadu"},
		{"Jadavpur University", "IN", "West Bengal"}, {"University of Delhi", "IN", "Delhi"}, {"IIT Guwahati", "IN", "Assam"},
		{"NIT Trichy", "IN", "Tamil Nadu"}, {"Savitribai Phule Pune University", "IN", "Maharashtra"}, {"University of Hyderabad", "IN", "Telangana"},
		{"IIT Roorkee", "IN", "Uttarakhand"}, {"Amrita Vishwa Vidyapeetham", "IN", "Kerala"}, {"Manipal Academy", "IN", "Karnataka"},
	}
	indianHosts = append(slicesClone(indianUniversities),
		site{"Tata Consultancy Services", "IN", "Maharashtra"}, site{"Infosys", "IN", "Karnataka"}, site{"ISRO", "IN", "Karnataka"},
		site{"Mahindra Research Valley", "IN", "Tamil Nadu"}, site{"TIFR", "IN", "Maharashtra"}, site{"ICAR", "IN", "Delhi"})
	japaneseUniversities = []site{
		{"University of Tokyo", "JP", "Tokyo"}, {"Kyoto University", "JP", "Kyoto"}, {"Osaka University", "JP", "Osaka"},
		{"Tohoku University", "JP", "Miyagi"}, {"Nagoya University", "JP", "Aichi"}, {"Kyushu University", "JP", "Fukuoka"},
		{"Hokkaido University", "JP", "Hokkaido"}, {"Institute of Science Tokyo", "JP", "Tokyo"}, {"Keio University", "JP", "Tokyo"},
		{"Waseda University", "JP", "Tokyo"}, {"University of Tsukuba", "JP", "Ibaraki"}, {"Hiroshima University", "JP", "Hiroshima"},
		{"Kobe University", "JP", "Hyogo"}, {"Okinawa Institute of Science and Technology", "JP", "Okinawa"},
	}
	japaneseHosts = append(slicesClone(japaneseUniversities),
		site{"RIKEN", "JP", "Saitama"}, site{"AIST", "JP", "Ibaraki"}, site{"Toyota Motor", "JP", "Aichi"},
		site{"Hitachi", "JP", "Tokyo"}, site{"Panasonic", "JP", "Osaka"}, site{"Fujitsu", "JP", "Kanagawa"},
		site{"Kyocera", "JP", "Kyoto"}, site{"NEC", "JP", "Tokyo"}, site{"JAXA", "JP", "Ibaraki"})
)

func slicesClone(s []site) []site { return append([]site(nil), s...) }

// stateLanguage is the main language of the Indian states the generator
// uses, spoken natively by most applicants from there.
var stateLanguage = map[string]string{
	"Tamil Nadu": "ta", "Maharashtra": "mr", "Karnataka": "kn", "West Bengal": "bn", "Telangana": "te",
	"Kerala": "ml", "Assam": "as", "Uttar Pradesh": "hi", "Delhi": "hi", "Uttarakhand": "hi",
}

type synth struct {
	r    *rand.Rand
	base time.Time // "today" of the data set
}

func newSynth(seed uint64) *synth {
	return &synth{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), base: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)}
}

func one[T any](g *synth, xs ...T) T { return xs[g.r.IntN(len(xs))] }

// weighted picks index i with probability w[i]/sum(w).
func (g *synth) weighted(w ...int) int {
	sum := 0
	for _, x := range w {
		sum += x
	}
	n := g.r.IntN(sum)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

func (g *synth) some(xs []string, lo, hi int) []string {
	n := lo + g.r.IntN(hi-lo+1)
	perm := g.r.Perm(len(xs))
	out := make([]string, 0, n)
	for _, i := range perm[:min(n, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

func (g *synth) date(t time.Time) string { return t.Format(eligibility.DateLayout) }

// topicFor leans towards computing and engineering, as exchange programs
// between the two countries do.
func (g *synth) topic() topic {
	return topics[g.weighted(14, 9, 6, 4, 10, 5, 6, 5, 6, 4, 5, 4, 3, 3, 4, 2, 2)]
}

func (g *synth) applicant(i int) scoring.Applicant {
	home := "IN"
	if g.r.IntN(10) < 3 {
		home = "JP"
	}
	kind := []string{"student", "researcher", "company"}[g.weighted(70, 22, 8)]
	var degree string
	var born int
	switch kind {
	case "student":
		degree = []string{"bachelor", "master", "phd"}[g.weighted(35, 40, 25)]
		born = map[string]int{"bachelor": 2004, "master": 2001, "phd": 1997}[degree] + g.r.IntN(5) - 2
	case "researcher":
		degree = []string{"phd", "postdoc", "faculty"}[g.weighted(30, 45, 25)]
		born = map[string]int{"phd": 1996, "postdoc": 1991, "faculty": 1980}[degree] + g.r.IntN(9) - 4
	default:
		degree, born = "professional", 1985+g.r.IntN(16)
	}
	t := g.topic()
	second := g.topic()
	skills := g.some(t.skills, 2, 5)
	if g.r.IntN(3) == 0 {
		skills = append(skills, one(g, second.skills...))
	}
	skills = append(skills, g.some(genericSkills, 0, 2)...)
	fields := []string{one(g, t.fields...)}
	if g.r.IntN(4) == 0 {
		fields = append(fields, one(g, second.fields...))
	}

	var inst site
	var langs []taxonomy.Language
	if home == "IN" {
		inst = one(g, indianUniversities...)
		langs = append(langs, taxonomy.Language{Code: "en", Level: []string{"B2", "C1", "C2", "native"}[g.weighted(25, 45, 20, 10)]})
		if l, ok := stateLanguage[inst.region]; ok && l != "hi" {
			langs = append(langs, taxonomy.Language{Code: l, Level: "native"})
		}
		langs = append(langs, taxonomy.Language{Code: "hi", Level: []string{"native", "C1", "B2", "B1"}[g.weighted(45, 25, 20, 10)]})
		if g.r.IntN(100) < 40 {
			langs = append(langs, taxonomy.Language{Code: "ja", Level: []string{"N5", "N4", "N3", "N2", "N1"}[g.weighted(40, 30, 17, 9, 4)]})
		}
	} else {
		inst = one(g, japaneseUniversities...)
		langs = append(langs,
			taxonomy.Language{Code: "ja", Level: "native"},
			taxonomy.Language{Code: "en", Level: []string{"A2", "B1", "B2", "C1", "C2"}[g.weighted(10, 30, 35, 20, 5)]})
		if g.r.IntN(100) < 5 {
			langs = append(langs, taxonomy.Language{Code: "hi", Level: one(g, "A1", "A2", "B1")})
		}
	}

	a := scoring.Applicant{
		ID: fmt.Sprintf("app-%06d", i), Kind: kind, HomeCountry: home, DegreeLevel: degree, BirthYear: born,
		Fields: fields, Skills: skills, Languages: langs, Statement: g.statement(kind, degree, inst, t, second, home),
	}
	if g.r.IntN(10) < 7 {
		from := g.base.AddDate(0, 2+g.r.IntN(10), g.r.IntN(28))
		a.AvailableFrom = g.date(from)
		a.AvailableTo = g.date(from.AddDate(0, 3+g.r.IntN(16), 0))
	}
	if g.r.IntN(10) < 6 {
		a.Preferences.ProgramKinds = g.some(taxonomy.ProgramKinds.Codes(), 1, 3)
	}
	if g.r.IntN(10) < 5 {
		hosts := japaneseHosts
		if home == "JP" {
			hosts = indianHosts
		}
		for range 1 + g.r.IntN(2) {
			a.Preferences.HostRegions = append(a.Preferences.HostRegions, one(g, hosts...).region)
		}
	}
	return a
}

func (g *synth) statement(kind, degree string, inst site, t, second topic, home string) string {
	var b strings.Builder
	role := map[string]string{"student": degree + " student", "researcher": "researcher", "company": "engineer"}[kind]
	fmt.Fprintf(&b, "I am a %s at %s working on %s. ", role, inst.name, one(g, t.phrases...))
	fmt.Fprintf(&b, "%s %s and %s. ", one(g, "My recent work covers", "I have experience in", "My thesis is about", "I am interested in"),
		one(g, t.phrases...), one(g, second.phrases...))
	fmt.Fprintf(&b, "I use %s in my projects. ", strings.Join(g.some(t.skills, 1, 3), ", "))
	other := "Japan"
	if home == "JP" {
		other = "India"
	}
	fmt.Fprintf(&b, "%s %s. ", one(g, "I hope to collaborate with researchers in", "I want to gain international experience in",
		"I would like to learn from industry and academia in"), other)
	if home == "JP" && g.r.IntN(2) == 0 {
		fmt.Fprintf(&b, "%sと%sの研究に興味があります。", one(g, t.ja...), one(g, second.ja...))
	}
	return b.String()
}

var kindTitles = map[string][]string{
	"exchange":             {"Semester exchange in %s", "Student exchange programme: %s"},
	"internship":           {"Summer internship in %s", "Research internship: %s"},
	"joint_research":       {"Joint research on %s", "Collaborative research project: %s"},
	"fellowship":           {"Postdoctoral fellowship in %s", "Visiting research fellowship: %s"},
	"scholarship":          {"Graduate scholarship for %s", "Master's and PhD scholarship: %s"},
	"industry_partnership": {"Industry–academia partnership on %s", "Company lab collaboration: %s"},
}

func (g *synth) program(i int) scoring.Program {
	host := "JP"
	hosts := japaneseHosts
	if g.r.IntN(100) < 35 {
		host, hosts = "IN", indianHosts
	}
	h := one(g, hosts...)
	t := g.topic()
	kind := taxonomy.ProgramKinds.Codes()[g.weighted(20, 25, 20, 12, 13, 10)]
	phrase := one(g, t.phrases...)
	p := scoring.Program{
		ID: fmt.Sprintf("prog-%05d", i), Kind: kind, HostCountry: host, Region: h.region,
		Title:  fmt.Sprintf(one(g, kindTitles[kind]...), phrase),
		Fields: []string{one(g, t.fields...)},
		Skills: g.some(t.skills, 2, 5),
	}
	var d strings.Builder
	fmt.Fprintf(&d, "%s invites applicants to work on %s. ", h.name, phrase)
	fmt.Fprintf(&d, "The team also studies %s and %s. ", one(g, t.phrases...), one(g, t.phrases...))
	fmt.Fprintf(&d, "Participants will use %s and present their results at the end of the program. ", strings.Join(g.some(t.skills, 1, 3), ", "))
	if host == "JP" && g.r.IntN(3) == 0 {
		fmt.Fprintf(&d, "本プログラムでは%sと%sに取り組みます。", one(g, t.ja...), one(g, t.ja...))
	}
	p.Description = d.String()

	months := map[string][2]int{
		"exchange": {4, 10}, "internship": {2, 6}, "joint_research": {3, 12},
		"fellowship": {6, 24}, "scholarship": {12, 24}, "industry_partnership": {6, 12},
	}[kind]
	start := g.base.AddDate(0, 1+g.r.IntN(12), g.r.IntN(28))
	p.StartDate = g.date(start)
	p.EndDate = g.date(start.AddDate(0, months[0]+g.r.IntN(months[1]-months[0]+1), -1))
	deadline := start.AddDate(0, -(1 + g.r.IntN(4)), 0)
	if g.r.IntN(100) < 4 {
		deadline = g.base.AddDate(0, 0, -g.r.IntN(30)-1) // already closed
	}
	p.ApplicationDeadline = g.date(deadline)

	rules := &p.Eligibility
	switch kind {
	case "internship":
		rules.ApplicantKinds = []string{"student"}
		rules.DegreeLevels = g.some([]string{"bachelor", "master", "phd"}, 2, 3)
	case "exchange", "scholarship":
		rules.ApplicantKinds = []string{"student"}
		rules.DegreeLevels = g.some([]string{"bachelor", "master", "phd"}, 1, 3)
	case "fellowship":
		rules.ApplicantKinds = []string{"researcher"}
		rules.DegreeLevels = g.some([]string{"phd", "postdoc", "faculty"}, 1, 3)
	case "joint_research":
		rules.ApplicantKinds = g.some([]string{"student", "researcher"}, 1, 2)
	case "industry_partnership":
		rules.ApplicantKinds = g.some([]string{"researcher", "company", "student"}, 1, 3)
	}
	if host == "JP" {
		switch g.weighted(45, 20, 15, 20) {
		case 0:
			rules.Languages = []taxonomy.LanguageRequirement{{Code: "en", MinLevel: one(g, "B2", "C1")}}
		case 1:
			rules.Languages = []taxonomy.LanguageRequirement{{Code: "ja", MinLevel: one(g, "N4", "N3", "N2")}}
		case 2:
			rules.Languages = []taxonomy.LanguageRequirement{{Code: "en", MinLevel: "B2"}, {Code: "ja", MinLevel: one(g, "N5", "N4")}}
		}
	} else if g.r.IntN(10) < 7 {
		rules.Languages = []taxonomy.LanguageRequirement{{Code: "en", MinLevel: one(g, "B1", "B2")}}
	}
	if g.r.IntN(10) < 4 {
		rules.MaxAge = 28 + g.r.IntN(13)
	}
	if g.r.IntN(10) < 2 {
		rules.MinAge = 18
	}
	if g.r.IntN(20) == 0 {
		rules.HomeCountries = []string{"IN", "JP"}
	}
	return p
}

func (g *synth) applicants(n int) []scoring.Applicant {
	out := make([]scoring.Applicant, n)
	for i := range out {
		out[i] = g.applicant(i)
	}
	return out
}

func (g *synth) programs(n int) []scoring.Program {
	out := make([]scoring.Program, n)
	for i := range out {
		out[i] = g.program(i)
	}
	return out
}
