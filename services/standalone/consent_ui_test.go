package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestConsentAndWhatHostsSeeInTheBrowser (issue 22 item 1, issue 19): in
// headless Chromium, the host of a program sees, in each language, the
// applicant who applied by name, an eligible applicant who let hosts find
// them by initials only (no name, no statement), and nothing of one who
// neither applied nor consented; the consent step of the profile wizard
// shows the full notice in Japanese and Hindi, not in English.
func TestConsentAndWhatHostsSeeInTheBrowser(t *testing.T) {
	p := startUIPlatform(t)
	suffix := strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
	admin := apiLogin(t, p.URL, uiAdminEmail, uiAdminPassword)
	coordEmail := "coord-consent-" + suffix + "@example.org"
	if st := apiCall(t, p.URL, http.MethodPost, "/auth/users", admin, map[string]string{"email": coordEmail, "password": uiPassword, "name": "Coord"}, nil); st != http.StatusCreated {
		t.Fatalf("create coordinator = %d", st)
	}
	coord := apiLogin(t, p.URL, coordEmail, uiPassword)
	hostEmail := "host-consent-" + suffix + "@example.jp"
	var host struct {
		ID string `json:"id"`
	}
	if st := apiCall(t, p.URL, http.MethodPost, "/auth/signup", "", map[string]string{"email": hostEmail, "password": uiPassword,
		"role": "host", "name": "Host", "organization": "Sendai Flood Lab"}, &host); st != http.StatusCreated {
		t.Fatalf("host signup = %d", st)
	}
	apiCall(t, p.URL, http.MethodPost, "/auth/users/"+host.ID+"/verify", coord, nil, nil)
	hostTok := apiLogin(t, p.URL, hostEmail, uiPassword)
	var prog struct {
		ID string `json:"id"`
	}
	eventually(t, 20*time.Second, "the verified host may post", func() bool {
		return apiCall(t, p.URL, http.MethodPost, "/programs", hostTok,
			matchProgramBody("Flood sensing with machine learning", "Sendai Flood Lab", "JP", "Miyagi", 2, []string{"IN"}), &prog) == http.StatusCreated
	})
	if st := apiCall(t, p.URL, http.MethodPost, "/programs/"+prog.ID+"/publish", hostTok, nil, nil); st != http.StatusOK {
		t.Fatalf("publish = %d", st)
	}

	var notice struct {
		Version string `json:"version"`
	}
	apiCall(t, p.URL, http.MethodGet, "/profiles/consent-notice", "", nil, &notice)
	const findableStatement = "My private plans for flood sensing."
	applicant := func(name string, findable bool, statement string) (email, token string) {
		email = strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "." + suffix + "@example.org"
		if st := apiCall(t, p.URL, http.MethodPost, "/auth/signup", "", map[string]string{"email": email, "password": uiPassword,
			"role": "applicant", "name": name}, nil); st != http.StatusCreated {
			t.Fatalf("signup %s = %d", name, st)
		}
		token = apiLogin(t, p.URL, email, uiPassword)
		body := matchProfileBody(name, "IN")
		body["statement"] = statement
		body["consents"] = map[string]any{"noticeVersion": notice.Version, "dataProcessing": true, "crossBorderTransfer": true, "visibleToHosts": findable}
		if st := apiCall(t, p.URL, http.MethodPost, "/profiles", token, body, nil); st != http.StatusCreated {
			t.Fatalf("profile of %s = %d", name, st)
		}
		return email, token
	}
	_, lata := applicant("Lata Menon", false, "I applied to study floods.")
	iraEmail, _ := applicant("Ira Banerjee Sen", true, findableStatement)
	applicant("Kabir Malhotra", false, "Nobody should see me.")
	eventually(t, 20*time.Second, "Lata applies", func() bool {
		return apiCall(t, p.URL, http.MethodPost, "/applications", lata, map[string]string{"programId": prog.ID}, nil) == http.StatusCreated
	})
	var cands struct {
		Total int `json:"total"`
	}
	// Wait (without judging: the pages below do) until the matching
	// service has taken in the profiles and the application.
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if apiCall(t, p.URL, http.MethodGet, "/programs/"+prog.ID+"/candidates", hostTok, nil, &cands); cands.Total >= 2 {
			break
		}
	}

	person := openBrowser(t, p)
	hostTab := person()
	hostTab.open("/login")
	hostTab.fill("#f-email", hostEmail)
	hostTab.fill("#f-password", uiPassword)
	hostTab.submit("host signs in", `form[action="/login"] button[type=submit]`)
	for _, tc := range []struct{ lang, limited string }{
		{"en", "Has not applied: you see only what they let eligible hosts see"},
		{"ja", "未応募：本人が応募資格のある受け入れ機関に許可した情報"},
		{"hi", "आवेदन नहीं किया: आप केवल वही देखते हैं"},
	} {
		t.Run("host-"+tc.lang, func(t *testing.T) {
			hostTab.t = t
			hostTab.chooseLanguage(tc.lang)
			hostTab.open("/host/programs/" + prog.ID + "/candidates")
			if lang := hostTab.eval(`document.documentElement.lang`); lang != tc.lang {
				t.Fatalf("candidates page <html lang> = %q, want %s", lang, tc.lang)
			}
			hostTab.shot("candidates-" + tc.lang)
			list := hostTab.text("ol.ranklist")
			if n := hostTab.eval(`String(document.querySelectorAll("ol.ranklist > li").length)`); n != "2" {
				t.Fatalf("candidates shown = %s, want 2 (the applicant and the findable one): %q", n, list)
			}
			if !strings.Contains(list, "Lata Menon") {
				t.Errorf("the applicant who applied is not shown by name: %q", list)
			}
			if !strings.Contains(list, "I. S.") || !strings.Contains(list, tc.limited) {
				t.Errorf("the findable applicant is not shown by initials with what the host sees: %q", list)
			}
			page := hostTab.text("main")
			for _, withheld := range []string{"Ira", "Banerjee", findableStatement, "Kabir", "Malhotra"} {
				if strings.Contains(page, withheld) {
					t.Errorf("the candidates page shows %q, which the host may not see", withheld)
				}
			}
		})
	}

	ira := person()
	ira.open("/login")
	ira.fill("#f-email", iraEmail)
	ira.fill("#f-password", uiPassword)
	ira.submit("applicant signs in", `form[action="/login"] button[type=submit]`)
	for _, tc := range []struct{ lang, title, box string }{
		{"ja", "TalentBridge プライバシーおよび同意に関するお知らせ（バージョン " + notice.Version + "）", "応募資格を満たすプログラムの受け入れ機関が候補者一覧で私を見つける"},
		{"hi", "TalentBridge गोपनीयता और सहमति सूचना (संस्करण " + notice.Version + ")", "जिन कार्यक्रमों के लिए मैं पात्र हूँ उनके मेज़बान मुझे अपनी उम्मीदवार सूची में खोज सकते हैं"},
	} {
		t.Run("wizard-"+tc.lang, func(t *testing.T) {
			ira.t = t
			ira.chooseLanguage(tc.lang)
			ira.open("/profile/wizard?step=5")
			if got := ira.eval(`document.querySelector(".notice-text .legal").getAttribute("lang")`); got != tc.lang {
				t.Errorf("full notice lang = %q, want %s", got, tc.lang)
			}
			full := ira.eval(`document.querySelector(".notice-text .legal").textContent`)
			if !strings.HasPrefix(strings.TrimSpace(full), tc.title) || strings.Contains(full, "Who we are") {
				t.Errorf("full notice in %s begins %.80q, want %q and no English", tc.lang, full, tc.title)
			}
			if summary := ira.text(".notice-text details summary"); strings.Contains(summary, "English") || strings.Contains(summary, "英語") || strings.Contains(summary, "अंग्रेज़ी") {
				t.Errorf("the notice's link still says it is in English: %q", summary)
			}
			ira.expect("the consent box says what being found means", `label[for="f-visibleToHosts"], #f-consents`, tc.box)
			if checked := ira.eval(`String(document.querySelector("#f-visibleToHosts").checked)`); checked != "true" {
				t.Errorf("Ira's consent to be found is not shown ticked: %s", checked)
			}
			ira.shot("wizard-consent-" + tc.lang)
		})
	}
}
