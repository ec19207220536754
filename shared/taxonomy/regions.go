package taxonomy

import "strings"

// Kinds of first-level administrative regions.
const (
	RegionState          = "state"
	RegionUnionTerritory = "union_territory"
	RegionPrefecture     = "prefecture"
)

// Region is an Indian state or union territory, or a Japanese prefecture.
// Profiles and programs store its English Name.
type Region struct {
	Country string `json:"country"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	// Code is the JIS X 0401 prefecture code ("13" for Tokyo); it is empty
	// for Indian regions, which are identified by name.
	Code   string `json:"code,omitempty"`
	Labels Labels `json:"labels"`
	// aliases are other spellings people type (older names, macrons).
	aliases []string
}

var indianRegions = []Region{
	{Name: "Andhra Pradesh", Kind: RegionState, Labels: Labels{Ja: "アーンドラ・プラデーシュ州", Hi: "आंध्र प्रदेश"}},
	{Name: "Arunachal Pradesh", Kind: RegionState, Labels: Labels{Ja: "アルナーチャル・プラデーシュ州", Hi: "अरुणाचल प्रदेश"}},
	{Name: "Assam", Kind: RegionState, Labels: Labels{Ja: "アッサム州", Hi: "असम"}},
	{Name: "Bihar", Kind: RegionState, Labels: Labels{Ja: "ビハール州", Hi: "बिहार"}},
	{Name: "Chhattisgarh", Kind: RegionState, Labels: Labels{Ja: "チャッティースガル州", Hi: "छत्तीसगढ़"}},
	{Name: "Goa", Kind: RegionState, Labels: Labels{Ja: "ゴア州", Hi: "गोवा"}},
	{Name: "Gujarat", Kind: RegionState, Labels: Labels{Ja: "グジャラート州", Hi: "गुजरात"}},
	{Name: "Haryana", Kind: RegionState, Labels: Labels{Ja: "ハリヤーナー州", Hi: "हरियाणा"}},
	{Name: "Himachal Pradesh", Kind: RegionState, Labels: Labels{Ja: "ヒマーチャル・プラデーシュ州", Hi: "हिमाचल प्रदेश"}},
	{Name: "Jharkhand", Kind: RegionState, Labels: Labels{Ja: "ジャールカンド州", Hi: "झारखंड"}},
	{Name: "Karnataka", Kind: RegionState, Labels: Labels{Ja: "カルナータカ州", Hi: "कर्नाटक"}},
	{Name: "Kerala", Kind: RegionState, Labels: Labels{Ja: "ケーララ州", Hi: "केरल"}},
	{Name: "Madhya Pradesh", Kind: RegionState, Labels: Labels{Ja: "マディヤ・プラデーシュ州", Hi: "मध्य प्रदेश"}},
	{Name: "Maharashtra", Kind: RegionState, Labels: Labels{Ja: "マハーラーシュトラ州", Hi: "महाराष्ट्र"}},
	{Name: "Manipur", Kind: RegionState, Labels: Labels{Ja: "マニプル州", Hi: "मणिपुर"}},
	{Name: "Meghalaya", Kind: RegionState, Labels: Labels{Ja: "メーガーラヤ州", Hi: "मेघालय"}},
	{Name: "Mizoram", Kind: RegionState, Labels: Labels{Ja: "ミゾラム州", Hi: "मिज़ोरम"}},
	{Name: "Nagaland", Kind: RegionState, Labels: Labels{Ja: "ナガランド州", Hi: "नागालैंड"}},
	{Name: "Odisha", Kind: RegionState, Labels: Labels{Ja: "オディシャ州", Hi: "ओडिशा"}, aliases: []string{"Orissa"}},
	{Name: "Punjab", Kind: RegionState, Labels: Labels{Ja: "パンジャーブ州", Hi: "पंजाब"}},
	{Name: "Rajasthan", Kind: RegionState, Labels: Labels{Ja: "ラージャスターン州", Hi: "राजस्थान"}},
	{Name: "Sikkim", Kind: RegionState, Labels: Labels{Ja: "シッキム州", Hi: "सिक्किम"}},
	{Name: "Tamil Nadu", Kind: RegionState, Labels: Labels{Ja: "タミル・ナードゥ州", Hi: "तमिलनाडु"}},
	{Name: "Telangana", Kind: RegionState, Labels: Labels{Ja: "テランガーナ州", Hi: "तेलंगाना"}},
	{Name: "Tripura", Kind: RegionState, Labels: Labels{Ja: "トリプラ州", Hi: "त्रिपुरा"}},
	{Name: "Uttar Pradesh", Kind: RegionState, Labels: Labels{Ja: "ウッタル・プラデーシュ州", Hi: "उत्तर प्रदेश"}},
	{Name: "Uttarakhand", Kind: RegionState, Labels: Labels{Ja: "ウッタラーカンド州", Hi: "उत्तराखंड"}, aliases: []string{"Uttaranchal"}},
	{Name: "West Bengal", Kind: RegionState, Labels: Labels{Ja: "西ベンガル州", Hi: "पश्चिम बंगाल"}},

	{Name: "Andaman and Nicobar Islands", Kind: RegionUnionTerritory, Labels: Labels{Ja: "アンダマン・ニコバル諸島", Hi: "अंडमान और निकोबार द्वीपसमूह"}},
	{Name: "Chandigarh", Kind: RegionUnionTerritory, Labels: Labels{Ja: "チャンディーガル", Hi: "चंडीगढ़"}},
	{Name: "Dadra and Nagar Haveli and Daman and Diu", Kind: RegionUnionTerritory, Labels: Labels{Ja: "ダードラー・ナガル・ハヴェーリー及びダマン・ディーウ", Hi: "दादरा और नगर हवेली और दमन और दीव"}},
	{Name: "Delhi", Kind: RegionUnionTerritory, Labels: Labels{Ja: "デリー", Hi: "दिल्ली"}, aliases: []string{"New Delhi", "NCT of Delhi", "National Capital Territory of Delhi"}},
	{Name: "Jammu and Kashmir", Kind: RegionUnionTerritory, Labels: Labels{Ja: "ジャンムー・カシミール", Hi: "जम्मू और कश्मीर"}},
	{Name: "Ladakh", Kind: RegionUnionTerritory, Labels: Labels{Ja: "ラダック", Hi: "लद्दाख"}},
	{Name: "Lakshadweep", Kind: RegionUnionTerritory, Labels: Labels{Ja: "ラクシャドウィープ", Hi: "लक्षद्वीप"}},
	{Name: "Puducherry", Kind: RegionUnionTerritory, Labels: Labels{Ja: "プドゥチェリー", Hi: "पुडुचेरी"}, aliases: []string{"Pondicherry"}},
}

// japaneseRegions is in JIS X 0401 order, so a prefecture's code is its
// position plus one.
var japaneseRegions = []Region{
	{Name: "Hokkaido", Labels: Labels{Ja: "北海道", Hi: "होक्काइदो"}, aliases: []string{"Hokkaidō"}},
	{Name: "Aomori", Labels: Labels{Ja: "青森県", Hi: "आओमोरी"}},
	{Name: "Iwate", Labels: Labels{Ja: "岩手県", Hi: "इवाते"}},
	{Name: "Miyagi", Labels: Labels{Ja: "宮城県", Hi: "मियागी"}},
	{Name: "Akita", Labels: Labels{Ja: "秋田県", Hi: "आकिता"}},
	{Name: "Yamagata", Labels: Labels{Ja: "山形県", Hi: "यामागाता"}},
	{Name: "Fukushima", Labels: Labels{Ja: "福島県", Hi: "फ़ुकुशिमा"}},
	{Name: "Ibaraki", Labels: Labels{Ja: "茨城県", Hi: "इबाराकी"}},
	{Name: "Tochigi", Labels: Labels{Ja: "栃木県", Hi: "तोचिगी"}},
	{Name: "Gunma", Labels: Labels{Ja: "群馬県", Hi: "गुनमा"}},
	{Name: "Saitama", Labels: Labels{Ja: "埼玉県", Hi: "साइतामा"}},
	{Name: "Chiba", Labels: Labels{Ja: "千葉県", Hi: "चिबा"}},
	{Name: "Tokyo", Labels: Labels{Ja: "東京都", Hi: "टोक्यो"}, aliases: []string{"Tōkyō"}},
	{Name: "Kanagawa", Labels: Labels{Ja: "神奈川県", Hi: "कानागावा"}},
	{Name: "Niigata", Labels: Labels{Ja: "新潟県", Hi: "निइगाता"}},
	{Name: "Toyama", Labels: Labels{Ja: "富山県", Hi: "तोयामा"}},
	{Name: "Ishikawa", Labels: Labels{Ja: "石川県", Hi: "इशिकावा"}},
	{Name: "Fukui", Labels: Labels{Ja: "福井県", Hi: "फ़ुकुई"}},
	{Name: "Yamanashi", Labels: Labels{Ja: "山梨県", Hi: "यामानाशी"}},
	{Name: "Nagano", Labels: Labels{Ja: "長野県", Hi: "नागानो"}},
	{Name: "Gifu", Labels: Labels{Ja: "岐阜県", Hi: "गिफ़ु"}},
	{Name: "Shizuoka", Labels: Labels{Ja: "静岡県", Hi: "शिज़ुओका"}},
	{Name: "Aichi", Labels: Labels{Ja: "愛知県", Hi: "आइची"}},
	{Name: "Mie", Labels: Labels{Ja: "三重県", Hi: "मिए"}},
	{Name: "Shiga", Labels: Labels{Ja: "滋賀県", Hi: "शिगा"}},
	{Name: "Kyoto", Labels: Labels{Ja: "京都府", Hi: "क्योटो"}, aliases: []string{"Kyōto"}},
	{Name: "Osaka", Labels: Labels{Ja: "大阪府", Hi: "ओसाका"}, aliases: []string{"Ōsaka"}},
	{Name: "Hyogo", Labels: Labels{Ja: "兵庫県", Hi: "ह्योगो"}, aliases: []string{"Hyōgo"}},
	{Name: "Nara", Labels: Labels{Ja: "奈良県", Hi: "नारा"}},
	{Name: "Wakayama", Labels: Labels{Ja: "和歌山県", Hi: "वाकायामा"}},
	{Name: "Tottori", Labels: Labels{Ja: "鳥取県", Hi: "तोत्तोरी"}},
	{Name: "Shimane", Labels: Labels{Ja: "島根県", Hi: "शिमाने"}},
	{Name: "Okayama", Labels: Labels{Ja: "岡山県", Hi: "ओकायामा"}},
	{Name: "Hiroshima", Labels: Labels{Ja: "広島県", Hi: "हिरोशिमा"}},
	{Name: "Yamaguchi", Labels: Labels{Ja: "山口県", Hi: "यामागुची"}},
	{Name: "Tokushima", Labels: Labels{Ja: "徳島県", Hi: "तोकुशिमा"}},
	{Name: "Kagawa", Labels: Labels{Ja: "香川県", Hi: "कागावा"}},
	{Name: "Ehime", Labels: Labels{Ja: "愛媛県", Hi: "एहिमे"}},
	{Name: "Kochi", Labels: Labels{Ja: "高知県", Hi: "कोची"}, aliases: []string{"Kōchi"}},
	{Name: "Fukuoka", Labels: Labels{Ja: "福岡県", Hi: "फ़ुकुओका"}},
	{Name: "Saga", Labels: Labels{Ja: "佐賀県", Hi: "सागा"}},
	{Name: "Nagasaki", Labels: Labels{Ja: "長崎県", Hi: "नागासाकी"}},
	{Name: "Kumamoto", Labels: Labels{Ja: "熊本県", Hi: "कुमामोतो"}},
	{Name: "Oita", Labels: Labels{Ja: "大分県", Hi: "ओइता"}, aliases: []string{"Ōita"}},
	{Name: "Miyazaki", Labels: Labels{Ja: "宮崎県", Hi: "मियाज़ाकी"}},
	{Name: "Kagoshima", Labels: Labels{Ja: "鹿児島県", Hi: "कागोशिमा"}},
	{Name: "Okinawa", Labels: Labels{Ja: "沖縄県", Hi: "ओकिनावा"}},
}

// regionsByCountry and regionKeys are filled by init: regions keyed by
// country, and a lookup from every accepted spelling (case-folded) to the
// region's position.
var (
	regionsByCountry = map[string][]Region{}
	regionKeys       = map[string]map[string]int{}
)

func init() {
	for i := range indianRegions {
		r := &indianRegions[i]
		r.Country = India
		r.Labels.En = r.Name
	}
	for i := range japaneseRegions {
		r := &japaneseRegions[i]
		r.Country = Japan
		r.Kind = RegionPrefecture
		r.Code = twoDigits(i + 1)
		r.Labels.En = r.Name
	}
	regionsByCountry[India] = indianRegions
	regionsByCountry[Japan] = japaneseRegions
	for country, list := range regionsByCountry {
		keys := map[string]int{}
		for i, r := range list {
			for _, s := range append([]string{r.Name, r.Labels.Ja, r.Labels.Hi}, r.aliases...) {
				keys[regionKey(s)] = i
			}
		}
		regionKeys[country] = keys
	}
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

// regionKey folds case and surrounding space so "tamil nadu " finds Tamil
// Nadu. Japanese and Hindi labels have no case and pass through unchanged.
func regionKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// Regions returns the regions of a country in their official order (Indian
// states then union territories alphabetically; Japanese prefectures in
// JIS X 0401 order). It returns nil for an unknown country.
func Regions(country string) []Region {
	list, ok := regionsByCountry[country]
	if !ok {
		return nil
	}
	out := make([]Region, len(list))
	for i, r := range list {
		r.aliases = nil
		out[i] = r
	}
	return out
}

// LookupRegion finds a region of country by its English name, its Japanese
// or Hindi label, or a common alternative spelling ("Orissa", "Hyōgo"),
// ignoring case. Callers should store the returned Region's Name.
func LookupRegion(country, name string) (Region, bool) {
	i, ok := regionKeys[country][regionKey(name)]
	if !ok {
		return Region{}, false
	}
	r := regionsByCountry[country][i]
	r.aliases = nil
	return r, true
}

// IsRegion reports whether name is a region of country. Like LookupRegion it
// accepts labels and alternative spellings; use LookupRegion to get the
// canonical name.
func IsRegion(country, name string) bool {
	_, ok := LookupRegion(country, name)
	return ok
}
