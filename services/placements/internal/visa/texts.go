package visa

import (
	"strings"

	"github.com/talentbridge/platform/shared/taxonomy"
)

// reasons are the texts of the estimate's lines, with {name} parameters.
var reasons = map[string]taxonomy.Labels{
	"degree.missing":   {En: "No degree level in the profile", Ja: "プロフィールに学歴がありません", Hi: "प्रोफ़ाइल में डिग्री स्तर नहीं है"},
	"degree.unscored":  {En: "Degree level {level} does not show which degree is held", Ja: "学歴「{level}」からは取得学位が分かりません", Hi: "डिग्री स्तर {level} से पता नहीं चलता कि कौन सी डिग्री है"},
	"degree.doctorate": {En: "Doctoral degree (profile: {level})", Ja: "博士学位(プロフィール: {level})", Hi: "डॉक्टरेट डिग्री (प्रोफ़ाइल: {level})"},
	"degree.master":    {En: "Master's degree (profile: {level})", Ja: "修士学位(プロフィール: {level})", Hi: "स्नातकोत्तर डिग्री (प्रोफ़ाइल: {level})"},
	"degree.bachelor":  {En: "Bachelor's degree (profile: {level})", Ja: "学士学位(プロフィール: {level})", Hi: "स्नातक डिग्री (प्रोफ़ाइल: {level})"},
	"career.missing":   {En: "Years of professional experience are not on the profile: give them to refine the estimate", Ja: "職歴の年数はプロフィールにありません。入力すると見積もりが精確になります", Hi: "पेशेवर अनुभव के वर्ष प्रोफ़ाइल में नहीं हैं: अनुमान सटीक करने के लिए उन्हें दें"},
	"career.band":      {En: "{years} years of experience (at least {min})", Ja: "職歴{years}年({min}年以上)", Hi: "{years} वर्ष का अनुभव (कम से कम {min})"},
	"career.short":     {En: "{years} years of experience is below the table's lowest band", Ja: "職歴{years}年は表の最低区分に届きません", Hi: "{years} वर्ष का अनुभव तालिका की सबसे निचली श्रेणी से कम है"},
	"salary.none":      {En: "The program pays no salary or stipend", Ja: "報酬・手当がありません", Hi: "कार्यक्रम में कोई वेतन या वज़ीफ़ा नहीं है"},
	"salary.currency":  {En: "The stipend is not in yen; the table counts yen paid by the host in Japan", Ja: "手当が円建てではありません(表は日本の受入れ機関から受ける円建ての年収で計算します)", Hi: "वज़ीफ़ा येन में नहीं है; तालिका जापान में मेज़बान से मिलने वाले येन गिनती है"},
	"salary.once":      {En: "A one-off payment is not an annual salary", Ja: "一時金は年収に当たりません", Hi: "एकमुश्त भुगतान वार्षिक वेतन नहीं है"},
	"salary.floor":     {En: "{yen} yen a year is below the {floor} yen this category requires", Ja: "年収{yen}円は、この類型に必要な{floor}円に届きません", Hi: "प्रति वर्ष {yen} येन इस श्रेणी के लिए ज़रूरी {floor} येन से कम है"},
	"salary.band":      {En: "{yen} yen a year (at least {min})", Ja: "年収{yen}円({min}円以上)", Hi: "प्रति वर्ष {yen} येन (कम से कम {min})"},
	"salary.band_age":  {En: "{yen} yen a year (at least {min}, for ages up to {age})", Ja: "年収{yen}円({min}円以上、{age}歳以下)", Hi: "प्रति वर्ष {yen} येन (कम से कम {min}, {age} वर्ष तक की आयु के लिए)"},
	"salary.low":       {En: "{yen} yen a year earns no points at age {age}", Ja: "{age}歳で年収{yen}円はポイントになりません", Hi: "{age} वर्ष की आयु में प्रति वर्ष {yen} येन पर कोई अंक नहीं"},
	"salary.low_noage": {En: "{yen} yen a year earns points only with a known age; no birth year in the profile", Ja: "年収{yen}円は年齢が分かる場合のみポイントになります(生年なし)", Hi: "प्रति वर्ष {yen} येन पर अंक केवल ज्ञात आयु से मिलते हैं; प्रोफ़ाइल में जन्म वर्ष नहीं है"},
	"age.missing":      {En: "No birth year in the profile", Ja: "プロフィールに生年がありません", Hi: "प्रोफ़ाइल में जन्म वर्ष नहीं है"},
	"age.band":         {En: "Age {age} at the start (born {born}; up to {max})", Ja: "開始時{age}歳({born}年生まれ、{max}歳以下)", Hi: "शुरुआत में आयु {age} (जन्म {born}; {max} तक)"},
	"age.over":         {En: "Age {age} at the start (born {born}) earns no age points", Ja: "開始時{age}歳({born}年生まれ)は年齢ポイントなし", Hi: "शुरुआत में आयु {age} (जन्म {born}) पर आयु के अंक नहीं"},
	"research.missing": {En: "Research achievements (patents, grants, papers) are not on the profile: give them to refine the estimate", Ja: "研究実績(特許・研究費・論文)はプロフィールにありません。入力すると見積もりが精確になります", Hi: "शोध उपलब्धियाँ (पेटेंट, अनुदान, शोधपत्र) प्रोफ़ाइल में नहीं हैं: अनुमान सटीक करने के लिए उन्हें दें"},
	"research.many":    {En: "{n} kinds of research achievement", Ja: "研究実績{n}種類", Hi: "{n} प्रकार की शोध उपलब्धियाँ"},
	"research.one":     {En: "One kind of research achievement", Ja: "研究実績1種類", Hi: "एक प्रकार की शोध उपलब्धि"},
	"research.none":    {En: "No research achievements recorded", Ja: "研究実績なし", Hi: "कोई शोध उपलब्धि दर्ज नहीं"},
	"ja.level":         {En: "Japanese: JLPT {level}", Ja: "日本語: 日本語能力試験{level}", Hi: "जापानी: JLPT {level}"},
	"ja.native":        {En: "Native Japanese counts only when shown by a test (JLPT N1) or a Japanese-major degree", Ja: "日本語が母語の場合も、試験(N1)または日本語専攻の学位で示す必要があります", Hi: "मूल जापानी भाषा तभी गिनी जाती है जब परीक्षा (JLPT N1) या जापानी विषय की डिग्री से सिद्ध हो"},
	"ja.low":           {En: "Japanese: JLPT {level} earns no points (N2 or N1 needed)", Ja: "日本語: {level}はポイントなし(N2以上が必要)", Hi: "जापानी: JLPT {level} पर अंक नहीं (N2 या N1 चाहिए)"},
	"ja.missing":       {En: "No Japanese level in the profile", Ja: "プロフィールに日本語のレベルがありません", Hi: "प्रोफ़ाइल में जापानी भाषा का स्तर नहीं है"},
	"bonus.unassessed": {En: "Other bonuses (a Japanese degree, the employer's support measures, …) need facts the platform does not hold", Ja: "その他の加算(日本の大学の学位、受入れ機関への支援措置など)は、本サービスにない情報が必要です", Hi: "अन्य बोनस (जापानी डिग्री, नियोक्ता को मिली सहायता, …) के लिए ऐसी जानकारी चाहिए जो प्लेटफ़ॉर्म के पास नहीं है"},
}

// reasonText fills the template code with kv (name, value, …); a value is
// a string, the same in every language, or taxonomy.Labels.
func reasonText(code string, kv ...any) taxonomy.Labels {
	l, ok := reasons[code]
	if !ok {
		return taxonomy.Labels{En: code, Ja: code, Hi: code}
	}
	fill := func(lang, text string) string {
		pairs := make([]string, 0, len(kv))
		for i := 0; i+1 < len(kv); i += 2 {
			name, _ := kv[i].(string)
			var v string
			switch x := kv[i+1].(type) {
			case string:
				v = x
			case taxonomy.Labels:
				v = x.In(lang)
			}
			pairs = append(pairs, "{"+name+"}", v)
		}
		return strings.NewReplacer(pairs...).Replace(text)
	}
	return taxonomy.Labels{En: fill("en", l.En), Ja: fill("ja", l.Ja), Hi: fill("hi", l.Hi)}
}
