package demo

// Static tables: real ministries, agencies and prefectures, and the parts that
// plausible municipality, person, vendor and system names are built from.
// Everything here is a constant table read by the generator, never changed.

// ministryDef is one 府省庁 with its central office and regional branches.
type ministryDef struct {
	code    string // "M03"
	name    string
	en      string
	slug    string  // used in generated e-mail domains under .example
	size    float64 // relative size of its systems estate
	central string  // name of its 本府省庁等
	// branches are its 地方支分部局 (a selection, not every office).
	branches []string
	// systems are ministry-specific system names, placed before the generic ones.
	systems []string
}

var ministries = []ministryDef{
	{"M01", "内閣府", "Cabinet Office", "cao", 1.2, "内閣府本府", []string{"沖縄総合事務局"},
		[]string{"公文書管理システム", "経済統計データ基盤", "防災情報共有システム"}},
	{"M02", "デジタル庁", "Digital Agency", "digital", 1.0, "デジタル庁（本庁）", nil,
		[]string{"ガバメントクラウド運用管理基盤", "マイナポータル", "GビズID", "e-Gov電子申請", "情報システム予算管理システム"}},
	{"M03", "総務省", "Ministry of Internal Affairs and Communications", "soumu", 1.5, "総務省本省",
		[]string{"北海道総合通信局", "東北総合通信局", "関東総合通信局", "信越総合通信局", "北陸総合通信局", "東海総合通信局",
			"近畿総合通信局", "中国総合通信局", "四国総合通信局", "九州総合通信局", "沖縄総合通信事務所"},
		[]string{"電波監理システム", "統計調査オンライン回答システム", "地方財政状況調査システム", "政治資金収支報告書オンライン提出システム"}},
	{"M04", "法務省", "Ministry of Justice", "moj", 2.0, "法務省本省",
		[]string{"東京法務局", "大阪法務局", "名古屋法務局", "広島法務局", "福岡法務局", "仙台法務局", "札幌法務局", "高松法務局"},
		[]string{"登記情報システム", "出入国管理業務システム", "戸籍情報連携システム", "矯正総合情報通信ネットワーク", "供託事務システム"}},
	{"M05", "外務省", "Ministry of Foreign Affairs", "mofa", 1.2, "外務省本省", nil,
		[]string{"旅券発給管理システム", "査証事務支援システム", "在外公館連絡システム", "領事業務システム"}},
	{"M06", "財務省", "Ministry of Finance", "mof", 2.0, "財務省本省",
		[]string{"北海道財務局", "東北財務局", "関東財務局", "北陸財務局", "東海財務局", "近畿財務局", "中国財務局", "四国財務局",
			"九州財務局", "福岡財務支局"},
		[]string{"官庁会計システム", "国有財産総合情報管理システム", "予算編成支援システム", "国債事務システム"}},
	{"M07", "文部科学省", "Ministry of Education, Culture, Sports, Science and Technology", "mext", 1.0, "文部科学省本省", nil,
		[]string{"学校基本調査システム", "科学研究費助成事業システム", "文化財情報システム"}},
	{"M08", "厚生労働省", "Ministry of Health, Labour and Welfare", "mhlw", 3.0, "厚生労働省本省",
		[]string{"北海道厚生局", "東北厚生局", "関東信越厚生局", "東海北陸厚生局", "近畿厚生局", "中国四国厚生局", "九州厚生局"},
		[]string{"ハローワークシステム", "労働保険適用徴収システム", "医療保険者等向け中間サーバー", "感染症サーベイランスシステム",
			"年金記録照会システム", "医薬品等電子申請システム"}},
	{"M09", "農林水産省", "Ministry of Agriculture, Forestry and Fisheries", "maff", 1.8, "農林水産省本省",
		[]string{"東北農政局", "関東農政局", "北陸農政局", "東海農政局", "近畿農政局", "中国四国農政局", "九州農政局"},
		[]string{"農林水産統計システム", "農林水産省共通申請サービス", "食品表示監視システム"}},
	{"M10", "経済産業省", "Ministry of Economy, Trade and Industry", "meti", 1.5, "経済産業省本省",
		[]string{"北海道経済産業局", "東北経済産業局", "関東経済産業局", "中部経済産業局", "近畿経済産業局", "中国経済産業局",
			"四国経済産業局", "九州経済産業局"},
		[]string{"補助金申請システム（jGrants）", "保安ネット", "貿易管理システム", "法人情報提供システム"}},
	{"M11", "国土交通省", "Ministry of Land, Infrastructure, Transport and Tourism", "mlit", 2.5, "国土交通省本省",
		[]string{"東北地方整備局", "関東地方整備局", "北陸地方整備局", "中部地方整備局", "近畿地方整備局", "中国地方整備局",
			"四国地方整備局", "九州地方整備局", "北海道開発局"},
		[]string{"自動車登録検査業務電子情報処理システム", "道路管理データベース", "河川情報システム", "建設業許可管理システム", "電子入札システム"}},
	{"M12", "環境省", "Ministry of the Environment", "env", 0.8, "環境省本省", nil,
		[]string{"大気汚染物質広域監視システム", "産業廃棄物電子マニフェスト連携", "温室効果ガス排出量算定報告システム"}},
	{"M13", "防衛省", "Ministry of Defense", "mod", 2.5, "防衛省本省",
		[]string{"北海道防衛局", "東北防衛局", "北関東防衛局", "南関東防衛局", "近畿中部防衛局", "中国四国防衛局", "九州防衛局", "沖縄防衛局"},
		[]string{"防衛情報通信基盤", "装備品等調達管理システム", "隊員情報管理システム"}},
	{"M14", "警察庁", "National Police Agency", "npa", 2.0, "警察庁本庁",
		[]string{"東北管区警察局", "関東管区警察局", "中部管区警察局", "近畿管区警察局", "中国四国管区警察局", "九州管区警察局"},
		[]string{"警察総合情報システム", "運転者管理システム", "遺失物管理システム"}},
	{"M15", "金融庁", "Financial Services Agency", "fsa", 0.6, "金融庁本庁", nil,
		[]string{"金融商品取引法に基づく開示書類電子開示システム（EDINET）", "金融機関監督情報システム"}},
	{"M16", "消費者庁", "Consumer Affairs Agency", "caa", 0.3, "消費者庁本庁", nil,
		[]string{"事故情報データバンク", "リコール情報サイト"}},
	{"M17", "こども家庭庁", "Children and Families Agency", "cfa", 0.4, "こども家庭庁本庁", nil,
		[]string{"児童手当等交付金管理システム", "こども政策データ基盤"}},
	{"M18", "復興庁", "Reconstruction Agency", "reconstruction", 0.3, "復興庁本庁", []string{"岩手復興局", "宮城復興局", "福島復興局"},
		[]string{"復興交付金管理システム"}},
	{"M19", "個人情報保護委員会", "Personal Information Protection Commission", "ppc", 0.2, "個人情報保護委員会事務局", nil,
		[]string{"漏えい等報告受付システム", "情報連携監視システム"}},
	{"M20", "公正取引委員会", "Japan Fair Trade Commission", "jftc", 0.3, "公正取引委員会事務総局", nil,
		[]string{"企業結合届出システム", "審査業務支援システム"}},
	{"M21", "国家公安委員会", "National Public Safety Commission", "npsc", 0.1, "国家公安委員会事務局", nil, nil},
	{"M22", "会計検査院", "Board of Audit of Japan", "jbaudit", 0.3, "会計検査院事務総局", nil,
		[]string{"検査情報管理システム", "計算証明書類電子提出システム"}},
	{"M23", "人事院", "National Personnel Authority", "jinji", 0.3, "人事院事務総局", nil,
		[]string{"国家公務員採用試験申込システム", "給与実態調査システム"}},
	{"M24", "宮内庁", "Imperial Household Agency", "kunaicho", 0.3, "宮内庁本庁", nil,
		[]string{"参観申込システム", "書陵部資料管理システム"}},
}

// agencyDef is one 独立行政法人等 (or 指定法人), supervised by a ministry.
type agencyDef struct {
	name     string
	en       string
	ministry string // supervising ministry code
	slug     string
	size     float64
	systems  []string
}

var agencies = []agencyDef{
	{"日本年金機構", "Japan Pension Service", "M08", "nenkin", 3.0,
		[]string{"年金記録管理システム", "基幹システム（記録管理）", "ねんきんネット", "年金相談コールセンターシステム", "年金給付システム"}},
	{"独立行政法人情報処理推進機構", "Information-technology Promotion Agency", "M10", "ipa", 0.8,
		[]string{"情報処理技術者試験システム", "脆弱性対策情報データベース"}},
	{"国立研究開発法人情報通信研究機構", "National Institute of Information and Communications Technology", "M03", "nict", 0.9,
		[]string{"サイバー攻撃観測網", "日本標準時配信システム"}},
	{"独立行政法人統計センター", "National Statistics Center", "M03", "nstac", 0.8,
		[]string{"政府統計共同利用システム", "国勢調査オンライン回答システム"}},
	{"地方公共団体情報システム機構", "Japan Agency for Local Authority Information Systems", "M03", "jlis", 1.5,
		[]string{"住民基本台帳ネットワークシステム", "公的個人認証サービス", "マイナンバーカード管理システム", "LGWAN運用管理システム"}},
	{"独立行政法人国立印刷局", "National Printing Bureau", "M06", "npb", 0.6, []string{"官報発行システム", "生産管理システム"}},
	{"独立行政法人造幣局", "Japan Mint", "M06", "mint", 0.4, []string{"製造管理システム"}},
	{"独立行政法人国際協力機構", "Japan International Cooperation Agency", "M05", "jica", 1.0, []string{"案件管理システム", "海外拠点連絡システム"}},
	{"独立行政法人国際交流基金", "Japan Foundation", "M05", "jpf", 0.4, []string{"日本語能力試験システム"}},
	{"独立行政法人日本学生支援機構", "Japan Student Services Organization", "M07", "jasso", 1.0, []string{"奨学金業務システム", "奨学金返還相談システム"}},
	{"国立研究開発法人宇宙航空研究開発機構", "Japan Aerospace Exploration Agency", "M07", "jaxa", 1.0, []string{"衛星運用管制システム", "研究データ共有基盤"}},
	{"国立研究開発法人理化学研究所", "RIKEN", "M07", "riken", 1.0, []string{"スーパーコンピュータ利用者管理システム", "研究データ基盤"}},
	{"独立行政法人大学入試センター", "National Center for University Entrance Examinations", "M07", "dnc", 0.4, []string{"試験実施管理システム"}},
	{"独立行政法人国立病院機構", "National Hospital Organization", "M08", "nho", 1.8, []string{"電子カルテシステム", "医事会計システム", "診療情報データバンク"}},
	{"独立行政法人医薬品医療機器総合機構", "Pharmaceuticals and Medical Devices Agency", "M08", "pmda", 0.8, []string{"副作用報告受付システム", "審査業務システム"}},
	{"独立行政法人労働者健康安全機構", "Japan Organization of Occupational Health and Safety", "M08", "johas", 0.7, []string{"労災病院情報システム"}},
	{"独立行政法人高齢・障害・求職者雇用支援機構", "Japan Organization for Employment of the Elderly, Persons with Disabilities and Job Seekers", "M08", "jeed", 0.7,
		[]string{"助成金支給システム", "職業訓練管理システム"}},
	{"年金積立金管理運用独立行政法人", "Government Pension Investment Fund", "M08", "gpif", 0.3, []string{"運用リスク管理システム"}},
	{"国立研究開発法人農業・食品産業技術総合研究機構", "NARO", "M09", "naro", 0.8, []string{"農業データ連携基盤"}},
	{"独立行政法人農畜産業振興機構", "Agriculture and Livestock Industries Corporation", "M09", "alic", 0.4, []string{"牛個体識別情報システム"}},
	{"国立研究開発法人産業技術総合研究所", "AIST", "M10", "aist", 1.0, []string{"研究成果管理システム"}},
	{"独立行政法人日本貿易振興機構", "JETRO", "M10", "jetro", 0.6, []string{"貿易投資相談システム"}},
	{"独立行政法人中小企業基盤整備機構", "SMRJ", "M10", "smrj", 0.7, []string{"共済業務システム", "補助金事務局システム"}},
	{"独立行政法人都市再生機構", "Urban Renaissance Agency", "M11", "ur", 1.0, []string{"賃貸住宅管理システム", "入居者募集システム"}},
	{"独立行政法人鉄道建設・運輸施設整備支援機構", "JRTT", "M11", "jrtt", 0.5, []string{"船舶共有建造管理システム"}},
	{"独立行政法人自動車技術総合機構", "National Agency for Automobile and Land Transport Technology", "M11", "naltec", 0.6, []string{"自動車検査データ管理システム"}},
	{"国立研究開発法人国立環境研究所", "National Institute for Environmental Studies", "M12", "nies", 0.5, []string{"環境観測データベース"}},
	{"独立行政法人国民生活センター", "National Consumer Affairs Center of Japan", "M16", "kokusen", 0.4, []string{"全国消費生活情報ネットワークシステム（PIO-NET）"}},
	{"国立研究開発法人日本医療研究開発機構", "Japan Agency for Medical Research and Development", "M01", "amed", 0.5, []string{"研究開発課題管理システム"}},
	{"独立行政法人国立公文書館", "National Archives of Japan", "M01", "archives", 0.3, []string{"デジタルアーカイブシステム"}},
}

// prefDef is one 都道府県: JIS X 0401 code, name, romanised name, population
// in millions (2020 census, rounded) and its 市区町村 by kind. The counts are
// the post-2018 figures as remembered [memory]; they sum to the 1,741
// 市区町村 of Japan, which is what matters for the national scale.
type prefDef struct {
	code    int
	name    string
	en      string
	pop     float64
	capital string
	cities  int // 市
	towns   int // 町
	vils    int // 村
	wards   int // 特別区 (Tokyo only)
}

var prefectures = []prefDef{
	{1, "北海道", "Hokkaido", 5.22, "札幌市", 35, 129, 15, 0},
	{2, "青森県", "Aomori", 1.24, "青森市", 10, 22, 8, 0},
	{3, "岩手県", "Iwate", 1.21, "盛岡市", 14, 15, 4, 0},
	{4, "宮城県", "Miyagi", 2.30, "仙台市", 14, 20, 1, 0},
	{5, "秋田県", "Akita", 0.96, "秋田市", 13, 9, 3, 0},
	{6, "山形県", "Yamagata", 1.07, "山形市", 13, 19, 3, 0},
	{7, "福島県", "Fukushima", 1.83, "福島市", 13, 31, 15, 0},
	{8, "茨城県", "Ibaraki", 2.87, "水戸市", 32, 10, 2, 0},
	{9, "栃木県", "Tochigi", 1.93, "宇都宮市", 14, 11, 0, 0},
	{10, "群馬県", "Gunma", 1.94, "前橋市", 12, 15, 8, 0},
	{11, "埼玉県", "Saitama", 7.34, "さいたま市", 40, 22, 1, 0},
	{12, "千葉県", "Chiba", 6.28, "千葉市", 37, 16, 1, 0},
	{13, "東京都", "Tokyo", 14.05, "新宿区", 26, 5, 8, 23},
	{14, "神奈川県", "Kanagawa", 9.24, "横浜市", 19, 13, 1, 0},
	{15, "新潟県", "Niigata", 2.20, "新潟市", 20, 6, 4, 0},
	{16, "富山県", "Toyama", 1.03, "富山市", 10, 4, 1, 0},
	{17, "石川県", "Ishikawa", 1.13, "金沢市", 11, 8, 0, 0},
	{18, "福井県", "Fukui", 0.77, "福井市", 9, 8, 0, 0},
	{19, "山梨県", "Yamanashi", 0.81, "甲府市", 13, 8, 6, 0},
	{20, "長野県", "Nagano", 2.05, "長野市", 19, 23, 35, 0},
	{21, "岐阜県", "Gifu", 1.98, "岐阜市", 21, 19, 2, 0},
	{22, "静岡県", "Shizuoka", 3.63, "静岡市", 23, 12, 0, 0},
	{23, "愛知県", "Aichi", 7.54, "名古屋市", 38, 14, 2, 0},
	{24, "三重県", "Mie", 1.77, "津市", 14, 15, 0, 0},
	{25, "滋賀県", "Shiga", 1.41, "大津市", 13, 6, 0, 0},
	{26, "京都府", "Kyoto", 2.58, "京都市", 15, 10, 1, 0},
	{27, "大阪府", "Osaka", 8.84, "大阪市", 33, 9, 1, 0},
	{28, "兵庫県", "Hyogo", 5.47, "神戸市", 29, 12, 0, 0},
	{29, "奈良県", "Nara", 1.32, "奈良市", 12, 15, 12, 0},
	{30, "和歌山県", "Wakayama", 0.92, "和歌山市", 9, 20, 1, 0},
	{31, "鳥取県", "Tottori", 0.55, "鳥取市", 4, 14, 1, 0},
	{32, "島根県", "Shimane", 0.67, "松江市", 8, 10, 1, 0},
	{33, "岡山県", "Okayama", 1.89, "岡山市", 15, 10, 2, 0},
	{34, "広島県", "Hiroshima", 2.80, "広島市", 14, 9, 0, 0},
	{35, "山口県", "Yamaguchi", 1.34, "山口市", 13, 6, 0, 0},
	{36, "徳島県", "Tokushima", 0.72, "徳島市", 8, 15, 1, 0},
	{37, "香川県", "Kagawa", 0.95, "高松市", 8, 9, 0, 0},
	{38, "愛媛県", "Ehime", 1.33, "松山市", 11, 9, 0, 0},
	{39, "高知県", "Kochi", 0.69, "高知市", 11, 17, 6, 0},
	{40, "福岡県", "Fukuoka", 5.14, "福岡市", 29, 29, 2, 0},
	{41, "佐賀県", "Saga", 0.81, "佐賀市", 10, 10, 0, 0},
	{42, "長崎県", "Nagasaki", 1.31, "長崎市", 13, 8, 0, 0},
	{43, "熊本県", "Kumamoto", 1.74, "熊本市", 14, 23, 8, 0},
	{44, "大分県", "Oita", 1.12, "大分市", 14, 3, 1, 0},
	{45, "宮崎県", "Miyazaki", 1.07, "宮崎市", 9, 14, 3, 0},
	{46, "鹿児島県", "Kagoshima", 1.59, "鹿児島市", 19, 20, 4, 0},
	{47, "沖縄県", "Okinawa", 1.47, "那覇市", 11, 11, 19, 0},
}

// tokyoWards are the 23 special wards, real names.
var tokyoWards = []string{"千代田区", "中央区", "港区", "新宿区", "文京区", "台東区", "墨田区", "江東区", "品川区", "目黒区",
	"大田区", "世田谷区", "渋谷区", "中野区", "杉並区", "豊島区", "北区", "荒川区", "板橋区", "練馬区", "足立区", "葛飾区", "江戸川区"}

// Parts of generated municipality names: a head and a tail make a plausible
// place name (東川, 桜台, 若松 …), unique within a prefecture.
var (
	placeHeads = []string{"東", "西", "南", "北", "新", "大", "小", "上", "下", "中", "高", "長", "松", "桜", "青", "白",
		"黒", "若", "美", "富", "豊", "本", "三", "八", "千", "神", "宮", "石", "金", "鶴", "亀", "柏", "藤", "滝",
		"朝", "旭", "日", "星", "水", "山", "川", "野", "岩", "花", "森", "杉", "竹", "梅", "菊", "玉", "光", "清",
		"福", "吉", "幸", "栄", "寿", "湯", "岡", "平"}
	placeTails = []string{"川", "山", "田", "野", "原", "沢", "浜", "崎", "岡", "島", "谷", "見", "里", "木", "井", "森",
		"瀬", "津", "戸", "部", "尾", "根", "宮", "浦", "丘", "台", "平", "城", "坂", "江"}
)

// Common surnames and given names with their romanisation, for people.
var (
	surnames = [][2]string{{"佐藤", "sato"}, {"鈴木", "suzuki"}, {"高橋", "takahashi"}, {"田中", "tanaka"}, {"伊藤", "ito"},
		{"渡辺", "watanabe"}, {"山本", "yamamoto"}, {"中村", "nakamura"}, {"小林", "kobayashi"}, {"加藤", "kato"},
		{"吉田", "yoshida"}, {"山田", "yamada"}, {"佐々木", "sasaki"}, {"山口", "yamaguchi"}, {"松本", "matsumoto"},
		{"井上", "inoue"}, {"木村", "kimura"}, {"林", "hayashi"}, {"斎藤", "saito"}, {"清水", "shimizu"},
		{"山崎", "yamazaki"}, {"森", "mori"}, {"池田", "ikeda"}, {"橋本", "hashimoto"}, {"阿部", "abe"},
		{"石川", "ishikawa"}, {"山下", "yamashita"}, {"中島", "nakajima"}, {"石井", "ishii"}, {"小川", "ogawa"},
		{"前田", "maeda"}, {"岡田", "okada"}, {"長谷川", "hasegawa"}, {"藤田", "fujita"}, {"後藤", "goto"},
		{"近藤", "kondo"}, {"村上", "murakami"}, {"遠藤", "endo"}, {"青木", "aoki"}, {"坂本", "sakamoto"},
		{"斉藤", "saito"}, {"福田", "fukuda"}, {"太田", "ota"}, {"西村", "nishimura"}, {"藤井", "fujii"},
		{"金子", "kaneko"}, {"岡本", "okamoto"}, {"藤原", "fujiwara"}, {"三浦", "miura"}, {"中野", "nakano"}}
	givenNames = [][2]string{{"翔太", "shota"}, {"大輔", "daisuke"}, {"健一", "kenichi"}, {"拓也", "takuya"}, {"直樹", "naoki"},
		{"誠", "makoto"}, {"浩二", "koji"}, {"隆", "takashi"}, {"和也", "kazuya"}, {"達也", "tatsuya"},
		{"陽子", "yoko"}, {"恵子", "keiko"}, {"美穂", "miho"}, {"裕子", "yuko"}, {"真由美", "mayumi"},
		{"智子", "tomoko"}, {"由美", "yumi"}, {"彩", "aya"}, {"愛", "ai"}, {"さくら", "sakura"},
		{"優子", "yuko"}, {"明美", "akemi"}, {"健太", "kenta"}, {"亮", "ryo"}, {"修", "osamu"},
		{"聡", "satoshi"}, {"哲也", "tetsuya"}, {"剛", "tsuyoshi"}, {"学", "manabu"}, {"正樹", "masaki"},
		{"香織", "kaori"}, {"麻衣", "mai"}, {"奈緒", "nao"}, {"千尋", "chihiro"}, {"美咲", "misaki"},
		{"大樹", "daiki"}, {"蓮", "ren"}, {"悠斗", "yuto"}, {"結衣", "yui"}, {"陽菜", "hina"}}
)

// Parts of fictitious vendor names. Contracts name made-up companies so that
// the demo's contract defects are never read as claims about a real firm.
var (
	vendorHeads = []string{"東日本", "西日本", "中央", "北斗", "青葉", "大和", "昭栄", "新光", "富岳", "瑞穂", "太平洋",
		"扶桑", "朝日", "三洋", "共栄", "第一", "光和", "明和", "協和", "日新", "東邦", "関西", "九州", "北陸", "みらい"}
	vendorTails = []string{"情報システム", "電算", "コンピュータサービス", "ソフトウェア", "データ", "システムズ",
		"ネットワークス", "情報技術", "ITソリューションズ", "システム開発", "情報サービス"}
)

// cloudDef is a cloud service of a real provider. Real providers are only
// ever generated as ISMAP-listed and valid; the generated defects (not
// listed, expired) fall on the fictitious providers below.
type cloudDef struct {
	provider string
	name     string
	model    string
}

var realClouds = []cloudDef{
	{"Amazon Web Services, Inc.", "Amazon Web Services", "iaas"},
	{"日本マイクロソフト株式会社", "Microsoft Azure", "iaas"},
	{"日本マイクロソフト株式会社", "Microsoft 365", "saas"},
	{"日本マイクロソフト株式会社", "Dynamics 365", "saas"},
	{"グーグル・クラウド・ジャパン合同会社", "Google Cloud", "iaas"},
	{"グーグル・クラウド・ジャパン合同会社", "Google Workspace", "saas"},
	{"日本オラクル株式会社", "Oracle Cloud Infrastructure", "iaas"},
	{"株式会社セールスフォース・ジャパン", "Salesforce Platform", "paas"},
	{"株式会社セールスフォース・ジャパン", "Slack", "saas"},
	{"ServiceNow Japan合同会社", "ServiceNow", "saas"},
	{"株式会社Box Japan", "Box", "saas"},
	{"ZVC Japan株式会社", "Zoom Workplace", "saas"},
	{"シスコシステムズ合同会社", "Webex", "saas"},
	{"サイボウズ株式会社", "kintone", "saas"},
	{"サイボウズ株式会社", "Garoon", "saas"},
	{"LINE WORKS株式会社", "LINE WORKS", "saas"},
	{"さくらインターネット株式会社", "さくらのクラウド", "iaas"},
	{"株式会社インターネットイニシアティブ", "IIJ GIOインフラストラクチャーP2", "iaas"},
	{"NTTコミュニケーションズ株式会社", "Smart Data Platform", "iaas"},
	{"富士通株式会社", "FJcloud-V", "iaas"},
	{"日本電気株式会社", "NEC Cloud IaaS", "iaas"},
	{"株式会社日立製作所", "Hitachi Cloud Platform", "iaas"},
	{"弁護士ドットコム株式会社", "クラウドサイン", "saas"},
	{"アドビ株式会社", "Adobe Acrobat Sign", "saas"},
	{"Sansan株式会社", "Sansan", "saas"},
	{"株式会社SmartHR", "SmartHR", "saas"},
	{"freee株式会社", "freee会計", "saas"},
	{"Okta Japan株式会社", "Okta Workforce Identity Cloud", "saas"},
	{"トレンドマイクロ株式会社", "Trend Vision One", "saas"},
	{"クラウドストライク合同会社", "CrowdStrike Falcon", "saas"},
	{"Zendesk株式会社", "Zendesk", "saas"},
	{"Datadog Japan合同会社", "Datadog", "saas"},
}

// Fictitious cloud services, built as provider head + tail and a service kind.
var (
	cloudProviderHeads = []string{"みちのく", "ひかり", "あおば", "とうかい", "せとうち", "ちくし", "ほくりく", "かんさい",
		"むさしの", "しなの", "ふじ", "さつま", "びわこ", "あかね", "すばる"}
	cloudProviderTails = []string{"データセンター株式会社", "クラウドサービス株式会社", "情報センター株式会社", "ネット株式会社"}
	cloudServiceKinds  = []cloudDef{
		{"", "自治体向け電子申請サービス", "saas"}, {"", "施設予約クラウド", "saas"}, {"", "住民向けAIチャットボット", "saas"},
		{"", "議事録作成支援サービス", "saas"}, {"", "電子図書館サービス", "saas"}, {"", "オンライン研修サービス", "saas"},
		{"", "文書管理クラウド", "saas"}, {"", "グループウェアクラウド", "saas"}, {"", "地域データセンターIaaS", "iaas"},
		{"", "ホスティングサービス", "iaas"}, {"", "アプリケーション実行基盤", "paas"}, {"", "ウェブサイト配信サービス", "paas"},
		{"", "ファイル共有サービス", "saas"}, {"", "コールセンタークラウド", "saas"}, {"", "電子契約サービス", "saas"},
		{"", "勤怠管理クラウド", "saas"},
	}
)

// Sections (課室) that manage systems.
var (
	localSections = []string{"市民課", "税務課", "福祉課", "保険年金課", "介護保険課", "子育て支援課", "健康推進課", "教育委員会事務局",
		"都市計画課", "建設課", "上下水道課", "環境課", "農林課", "商工観光課", "総務課", "財政課", "企画課", "情報政策課",
		"防災危機管理課", "会計課", "議会事務局", "選挙管理委員会事務局", "消防本部", "生涯学習課", "人事課", "契約検査課"}
	centralSections = []string{"大臣官房総務課", "大臣官房会計課", "大臣官房人事課", "大臣官房文書課", "大臣官房情報システム室",
		"大臣官房広報室", "大臣官房政策課", "大臣官房統計室", "大臣官房国際課", "政策局総務課", "政策局企画課", "管理局管理課",
		"業務局業務課", "審査局審査課", "調査局調査課", "監理局監理課", "技術局技術課", "企画局計画課"}
	branchSections = []string{"総務部総務課", "総務部会計課", "総務部情報管理室", "業務部業務課", "業務部審査課", "調査部調査課",
		"監理部監理課", "企画部企画課"}
)

// Generic extra systems are named from their section, a topic and a kind:
// 「市民課 相談管理システム」.
var (
	genericTopics = []string{"補助金", "許認可", "届出", "統計", "相談", "検査", "調達", "研修", "広報", "施設", "資産",
		"契約", "監査", "人事", "福利厚生", "庁舎", "図書", "国際", "研究", "災害"}
	genericKinds = []string{"管理システム", "申請システム", "審査支援システム", "データベース", "情報提供サイト", "集計システム",
		"業務支援システム", "分析基盤"}
)

// Contract title parts.
var (
	logReviewNotes = []string{"異常なし", "不審なログイン試行を確認（対応済）", "特権操作の記録を確認", "異常なし（定期点検）", "要追跡事象1件"}
	auditTopics    = []string{"情報セキュリティ監査", "アクセス管理に関する監査", "外部委託管理に関する監査", "ログ管理に関する監査",
		"クラウドサービス利用に関する監査", "個人情報の取扱いに関する監査", "IT-BCPに関する監査"}
	auditFindings = []string{"退職者のアカウントが削除されていない", "特権IDが共用されている", "ログの定期点検が記録されていない",
		"委託先の履行状況確認が未実施", "パッチ適用が遅延している", "IT-BCPの訓練が未実施", "情報資産台帳が更新されていない",
		"パスワードポリシーが基準を満たしていない", "外部記録媒体の管理簿が未整備", "クラウドサービスの利用承認記録がない"}
	auditFirms = []string{"北斗監査法人", "中央ITガバナンス監査株式会社", "東和情報セキュリティ監査株式会社", "第一システム監査株式会社",
		"内部監査室", "情報セキュリティ監査室"}
)

// incidentKinds lists the incident categories with their relative frequency
// and typical summaries; the order is the enum's, so the draw is stable.
var incidentKinds = []struct {
	code    string
	weight  int
	summary []string
}{
	{"malware", 15, []string{"職員端末でマルウェアを検知し隔離", "添付ファイル経由のマルウェア感染"}},
	{"unauthorized_access", 10, []string{"公開サーバへの不正アクセス試行", "委託先アカウントの不正利用"}},
	{"dos", 4, []string{"公式ウェブサイトへのDDoS攻撃", "電子申請システムへの大量アクセス"}},
	{"targeted", 3, []string{"標的型メールの受信（開封1件）", "標的型攻撃による情報窃取の疑い"}},
	{"leak", 5, []string{"委託先からの個人情報漏えい", "ウェブサイトへの非公開情報の誤掲載"}},
	{"loss", 15, []string{"USBメモリの紛失", "業務用ノートPCの置き忘れ"}},
	{"misdelivery", 30, []string{"メールの誤送信（個人情報を含む）", "通知書の誤送付", "FAXの誤送信"}},
	{"failure", 15, []string{"ストレージ障害による業務停止", "ネットワーク機器の故障", "システム更新後の不具合"}},
	{"other", 3, []string{"不審な電話による問い合わせ", "SNSでのなりすまし"}},
}
