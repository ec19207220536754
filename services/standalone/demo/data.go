package demo

// The sample organisations, programs and people. Every organisation and
// person here is fictional; places and fields are real.

// host is a demo host organisation and the programs it posts.
type host struct {
	Org      string
	Country  string
	Region   string
	Person   string
	Email    string
	Programs []programSeed
}

// programSeed is what is written by hand about a program; dates, stipend
// and rules are filled in by the generator.
type programSeed struct {
	Title, TitleJa string
	Description    string
	Kind           string
	Fields         []string
	Skills         []string
	Seats          int
}

var hosts = []host{
	{
		Org: "Hokuriku Advanced Science University", Country: "JP", Region: "Ishikawa",
		Person: "Haruka Nishimura", Email: "exchange@hokuriku-asu.example",
		Programs: []programSeed{
			{Title: "AI for disaster resilience: summer research", TitleJa: "防災のためのAI：夏期研究プログラム",
				Description: "Join a lab that forecasts floods and landslides on the Noto peninsula from satellite images and rain gauges. You will train and evaluate models with the team and present at the closing seminar.",
				Kind:        "joint_research", Fields: []string{"1.2", "1.5"}, Skills: []string{"python", "machine learning", "remote sensing", "gis"}, Seats: 3},
			{Title: "Semester exchange in materials science", TitleJa: "材料科学の交換留学（1学期）",
				Description: "A full semester of graduate courses in materials science taught in English, with a research placement in a thin-film laboratory and Japanese classes.",
				Kind:        "exchange", Fields: []string{"2.5", "1.4"}, Skills: []string{"materials characterisation", "thin films", "xrd"}, Seats: 4},
			{Title: "Doctoral fellowship in quantum information", TitleJa: "量子情報の博士フェローシップ",
				Description: "Two-year fellowship for doctoral researchers working on quantum error correction and superconducting qubits, with travel support to conferences.",
				Kind:        "fellowship", Fields: []string{"1.3", "1.2"}, Skills: []string{"quantum computing", "linear algebra", "python"}, Seats: 2},
			{Title: "Japanese language and culture scholarship", TitleJa: "日本語・日本文化奨学金",
				Description: "Scholarship covering tuition and a monthly stipend for a year of Japanese language study in Kanazawa, with homestays and weekend field trips.",
				Kind:        "scholarship", Fields: []string{"6.2"}, Skills: []string{"japanese"}, Seats: 5},
			{Title: "Coastal ecology field research", TitleJa: "沿岸生態学のフィールド研究",
				Description: "Field surveys of seagrass beds and fish populations along the Sea of Japan coast, with laboratory analysis of environmental DNA.",
				Kind:        "joint_research", Fields: []string{"1.6", "1.5"}, Skills: []string{"field work", "edna", "statistics", "r"}, Seats: 2},
		},
	},
	{
		Org: "Setouchi Robotics K.K.", Country: "JP", Region: "Hiroshima",
		Person: "Takeshi Ono", Email: "talent@setouchi-robotics.example",
		Programs: []programSeed{
			{Title: "Robotics software internship", TitleJa: "ロボットソフトウェア・インターンシップ",
				Description: "Work on motion planning and perception for shipyard welding robots. You will write ROS 2 nodes, test them in simulation and then on the factory floor.",
				Kind:        "internship", Fields: []string{"2.2", "2.3"}, Skills: []string{"ros", "c++", "robotics", "computer vision"}, Seats: 3},
			{Title: "Embedded systems internship", TitleJa: "組込みシステム・インターンシップ",
				Description: "Firmware for motor controllers and safety sensors on industrial arms, from board bring-up to testing.",
				Kind:        "internship", Fields: []string{"2.2"}, Skills: []string{"embedded c", "rtos", "electronics"}, Seats: 2},
			{Title: "Factory automation partnership with Indian institutes", TitleJa: "インドの研究機関との工場自動化連携",
				Description: "A company–university partnership for staff and researchers: co-develop low-cost automation for small manufacturers, with joint workshops in Hiroshima and Chennai.",
				Kind:        "industry_partnership", Fields: []string{"2.3", "5.2"}, Skills: []string{"automation", "lean manufacturing", "plc"}, Seats: 2},
			{Title: "Human–robot interaction research placement", TitleJa: "人とロボットのインタラクション研究",
				Description: "Study how workers and collaborative robots share tasks safely; design and run user studies in the company's lab.",
				Kind:        "joint_research", Fields: []string{"5.1", "2.2"}, Skills: []string{"user studies", "statistics", "robotics"}, Seats: 1},
			{Title: "Machine vision summer internship", TitleJa: "マシンビジョン夏期インターンシップ",
				Description: "Build inspection models that find weld defects in camera images, and deploy them to edge devices on the line.",
				Kind:        "internship", Fields: []string{"1.2"}, Skills: []string{"computer vision", "deep learning", "python"}, Seats: 2},
		},
	},
	{
		Org: "Kansai Green Materials Consortium", Country: "JP", Region: "Osaka",
		Person: "Yuki Sakamoto", Email: "office@kansai-green.example",
		Programs: []programSeed{
			{Title: "Battery recycling joint research", TitleJa: "電池リサイクルの共同研究",
				Description: "Recover lithium and cobalt from spent batteries with greener hydrometallurgy, working across three member companies' laboratories.",
				Kind:        "joint_research", Fields: []string{"2.4", "1.4"}, Skills: []string{"electrochemistry", "process engineering", "chemistry"}, Seats: 2},
			{Title: "Fellowship in sustainable polymers", TitleJa: "持続可能な高分子材料フェローシップ",
				Description: "Postdoctoral fellowship on bio-based and recyclable polymers for packaging, with an industrial mentor.",
				Kind:        "fellowship", Fields: []string{"2.5", "1.4"}, Skills: []string{"polymer chemistry", "materials characterisation"}, Seats: 2},
			{Title: "Green hydrogen industry–academia partnership", TitleJa: "グリーン水素の産学連携",
				Description: "Engineers and researchers from Indian companies and universities join pilot projects on electrolysers and hydrogen storage in Osaka Bay.",
				Kind:        "industry_partnership", Fields: []string{"2.7", "2.4"}, Skills: []string{"hydrogen", "energy systems", "process engineering"}, Seats: 3},
			{Title: "Environmental policy internship", TitleJa: "環境政策インターンシップ",
				Description: "Support the consortium's policy team with life-cycle assessments and reports on circular-economy rules in Japan and India.",
				Kind:        "internship", Fields: []string{"5.6", "2.7"}, Skills: []string{"life cycle assessment", "policy analysis", "writing"}, Seats: 1},
			{Title: "Scholarship for graduate study in environmental engineering", TitleJa: "環境工学の大学院留学奨学金",
				Description: "Tuition and living costs for a master's degree at a member university, with an internship in a member company each summer.",
				Kind:        "scholarship", Fields: []string{"2.7"}, Skills: []string{"water treatment", "environmental engineering"}, Seats: 3},
		},
	},
	{
		Org: "Kaveri Institute of Technology", Country: "IN", Region: "Tamil Nadu",
		Person: "Lakshmi Venkatesan", Email: "international@kaveri-it.example",
		Programs: []programSeed{
			{Title: "Semester exchange in computer science", Description: "Spend a semester in Chennai taking courses in algorithms, distributed systems and natural language processing, alongside Indian students.",
				Kind: "exchange", Fields: []string{"1.2"}, Skills: []string{"algorithms", "distributed systems", "nlp"}, Seats: 5},
			{Title: "Indic language technology research", Description: "Build speech and text tools for Tamil and other Indian languages with the institute's language technology lab.",
				Kind: "joint_research", Fields: []string{"1.2", "6.2"}, Skills: []string{"nlp", "speech recognition", "python", "machine learning"}, Seats: 2},
			{Title: "Water resources engineering fellowship", Description: "Fellowship on river basin modelling and urban flood management for the Kaveri delta.",
				Kind: "fellowship", Fields: []string{"2.1", "1.5"}, Skills: []string{"hydrology", "gis", "modelling"}, Seats: 2},
			{Title: "Summer school in electric mobility", Description: "Six weeks of lectures and lab work on batteries, motor drives and charging networks for two- and three-wheelers.",
				Kind: "exchange", Fields: []string{"2.2", "2.3"}, Skills: []string{"power electronics", "batteries", "matlab"}, Seats: 6},
			{Title: "Research internship in medical devices", Description: "Design and test low-cost diagnostic devices with the biomedical engineering department and partner hospitals.",
				Kind: "internship", Fields: []string{"2.6", "3.4"}, Skills: []string{"biomedical engineering", "prototyping", "electronics"}, Seats: 2},
		},
	},
	{
		Org: "Deccan Bioinformatics Pvt. Ltd.", Country: "IN", Region: "Telangana",
		Person: "Arjun Reddy", Email: "careers@deccan-bio.example",
		Programs: []programSeed{
			{Title: "Genomics data science internship", Description: "Analyse sequencing data for crop and clinical projects; build pipelines that run on the company's cluster in Hyderabad.",
				Kind: "internship", Fields: []string{"1.6", "1.2"}, Skills: []string{"bioinformatics", "python", "statistics", "linux"}, Seats: 3},
			{Title: "Drug discovery partnership", Description: "Company staff and academic researchers from Japan join a two-year programme on AI-assisted screening of drug candidates.",
				Kind: "industry_partnership", Fields: []string{"3.1", "1.2"}, Skills: []string{"cheminformatics", "machine learning", "drug discovery"}, Seats: 2},
			{Title: "Scholarship for a master's in bioinformatics", Description: "Full tuition and a monthly stipend for a two-year master's programme with a partner university in Hyderabad.",
				Kind: "scholarship", Fields: []string{"1.6"}, Skills: []string{"biology", "programming"}, Seats: 2},
			{Title: "Agricultural genomics fellowship", Description: "Postdoctoral fellowship on drought-tolerant millet varieties, with field trials in the Deccan plateau.",
				Kind: "fellowship", Fields: []string{"4.4", "1.6"}, Skills: []string{"genomics", "plant breeding", "statistics"}, Seats: 1},
			{Title: "Clinical data engineering internship", Description: "Work with hospital partners on privacy-preserving data platforms for clinical trials.",
				Kind: "internship", Fields: []string{"3.2", "1.2"}, Skills: []string{"data engineering", "sql", "privacy"}, Seats: 2},
		},
	},
	{
		Org: "Sahyadri School of Design", Country: "IN", Region: "Maharashtra",
		Person: "Meera Kulkarni", Email: "partnerships@sahyadri-design.example",
		Programs: []programSeed{
			{Title: "Exchange semester in product design", Description: "A semester of studio courses in Pune on product and service design, with crafts workshops in rural Maharashtra.",
				Kind: "exchange", Fields: []string{"6.4", "2.3"}, Skills: []string{"product design", "prototyping", "sketching"}, Seats: 4},
			{Title: "Design for healthcare research", Description: "Co-design tools with nurses and patients in public hospitals; study how design changes care.",
				Kind: "joint_research", Fields: []string{"3.3", "6.4"}, Skills: []string{"user research", "service design"}, Seats: 2},
			{Title: "UX design internship", Description: "Design mobile apps for farmers and small shops in Indian languages, from research to tested prototypes.",
				Kind: "internship", Fields: []string{"6.4", "1.2"}, Skills: []string{"ux design", "figma", "user research"}, Seats: 3},
			{Title: "Craft and technology partnership", Description: "Designers from companies in Japan and India work with craft clusters on new materials and digital fabrication.",
				Kind: "industry_partnership", Fields: []string{"6.4", "2.5"}, Skills: []string{"digital fabrication", "materials", "craft"}, Seats: 2},
			{Title: "Scholarship in communication design", Description: "A year of study in communication and information design, with a stipend and a project with a Pune newspaper.",
				Kind: "scholarship", Fields: []string{"5.8", "6.4"}, Skills: []string{"typography", "illustration", "data visualisation"}, Seats: 2},
		},
	},
}

// Names of the sample people.
var (
	indianGiven    = []string{"Aarav", "Ananya", "Arjun", "Asha", "Deepak", "Divya", "Farhan", "Gauri", "Harish", "Ishita", "Karthik", "Kavya", "Manoj", "Meera", "Nikhil", "Neha", "Pooja", "Pranav", "Rahul", "Riya", "Sanjay", "Shreya", "Suresh", "Tanvi", "Vikram", "Zoya", "Aditi", "Rohan", "Lakshmi", "Imran"}
	indianFamily   = []string{"Sharma", "Iyer", "Reddy", "Nair", "Kulkarni", "Banerjee", "Singh", "Patel", "Rao", "Menon", "Chatterjee", "Gupta", "Khan", "Pillai", "Joshi", "Das", "Bose", "Mehta", "Hegde", "Verma"}
	japaneseGiven  = []string{"Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuto", "Sakura", "Kaito", "Mio", "Riku", "Yuna", "Takumi", "Akari", "Daiki", "Mei", "Kenta", "Saki", "Shota", "Nanami"}
	japaneseFamily = []string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Shimizu", "Mori", "Ikeda"}
)

// Institutions the sample applicants come from (fictional).
var (
	indianInstitutions = []string{"Kaveri Institute of Technology", "Narmada University", "Vindhya Institute of Science", "Godavari College of Engineering",
		"Brahmaputra University", "Malabar Institute of Management", "Aravalli Institute of Technology", "Konkan Agricultural University",
		"Deccan Bioinformatics Pvt. Ltd.", "Shivalik Software Labs", "Nilgiri Pharma Ltd."}
	japaneseInstitutions = []string{"Hokuriku Advanced Science University", "Musashino Institute of Technology", "Seto Inland Sea University",
		"Tohoku Frontier University", "Kyushu Coastal University", "Biwako Institute of Science", "Setouchi Robotics K.K.",
		"Kanto Precision Instruments", "Chubu Mobility Systems"}
)

// skillsByField are skills people in a field list.
var skillsByField = map[string][]string{
	"1.1": {"statistics", "linear algebra", "optimisation", "probability"},
	"1.2": {"python", "machine learning", "nlp", "computer vision", "distributed systems", "algorithms", "deep learning", "sql"},
	"1.3": {"quantum computing", "optics", "python", "simulation"},
	"1.4": {"chemistry", "electrochemistry", "spectroscopy", "polymer chemistry"},
	"1.5": {"remote sensing", "gis", "hydrology", "climate modelling"},
	"1.6": {"bioinformatics", "genomics", "statistics", "r", "field work"},
	"2.1": {"structural analysis", "hydrology", "gis"},
	"2.2": {"robotics", "embedded c", "power electronics", "ros", "electronics"},
	"2.3": {"cad", "automation", "prototyping", "matlab"},
	"2.4": {"process engineering", "electrochemistry", "hydrogen"},
	"2.5": {"materials characterisation", "thin films", "xrd", "materials"},
	"2.6": {"biomedical engineering", "prototyping", "electronics"},
	"2.7": {"water treatment", "life cycle assessment", "environmental engineering", "energy systems"},
	"3.1": {"cheminformatics", "drug discovery", "cell biology"},
	"3.2": {"clinical trials", "data engineering", "sql"},
	"3.3": {"public health", "user research"},
	"3.4": {"biomedical engineering", "diagnostics"},
	"4.4": {"plant breeding", "genomics", "statistics"},
	"5.1": {"user studies", "statistics", "psychology"},
	"5.2": {"economics", "lean manufacturing", "policy analysis"},
	"5.6": {"policy analysis", "writing"},
	"5.8": {"data visualisation", "writing", "typography"},
	"6.2": {"japanese", "translation", "nlp"},
	"6.4": {"product design", "ux design", "figma", "user research", "sketching"},
}
