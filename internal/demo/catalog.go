package demo

// sysDef describes a kind of system an organization runs: the core lists
// below are taken in order, so a small village gets the first few (its
// terminals, 住民記録, 税務 …) and a large city all of them plus generic extras.
type sysDef struct {
	name      string
	seg       string // network segment code; "" means the organization's default
	fleet     bool   // carries the organization's terminals in its segment
	infra     bool   // network infrastructure: carries the switches and routers
	personal  bool   // handles personal information
	important bool   // supports important business, so needs an IT-BCP
	office    string // office equipment: the component kind ("recorder", "mfp")
	role      string // server role of its main servers
	servers   int    // typical number of servers
	conf      int    // confidentiality grade; 0 means the default (2)
	generic   bool   // a generic extra system named from its section and topic
}

// municipalSystems is a 市区町村's estate, in order of priority. Segments
// follow the three-layer model (三層の構え, seed 002).
var municipalSystems = []sysDef{
	{name: "LGWAN接続系端末", seg: "lgwan", fleet: true, servers: 1, role: "other"},
	{name: "マイナンバー利用事務系端末", seg: "mynumber", fleet: true, personal: true, servers: 1, role: "other"},
	{name: "インターネット接続系端末（仮想ブラウザ）", seg: "internet", fleet: true, servers: 2, role: "gateway"},
	{name: "住民記録システム", seg: "mynumber", personal: true, important: true, servers: 3, role: "database"},
	{name: "税務システム（住民税・固定資産税）", seg: "mynumber", personal: true, important: true, servers: 3, role: "database"},
	{name: "LGWANメール", seg: "lgwan", servers: 2, role: "mail", important: true},
	{name: "国民健康保険システム", seg: "mynumber", personal: true, important: true, servers: 2, role: "application"},
	{name: "介護保険システム", seg: "mynumber", personal: true, important: true, servers: 2, role: "application"},
	{name: "福祉総合システム（障害者福祉・生活保護）", seg: "mynumber", personal: true, important: true, servers: 2, role: "application"},
	{name: "内部情報系システム（財務会計・人事給与・文書管理）", seg: "lgwan", personal: true, important: true, servers: 3, role: "application"},
	{name: "選挙システム", seg: "mynumber", personal: true, important: true, servers: 1, role: "application"},
	{name: "公式ウェブサイト", seg: "internet", servers: 2, role: "web", conf: 1},
	{name: "団体内統合宛名システム", seg: "mynumber", personal: true, important: true, servers: 2, role: "database"},
	{name: "電子申請システム", seg: "internet", personal: true, servers: 1, role: "web"},
	{name: "庁内ネットワーク基盤", seg: "lgwan", infra: true, important: true, servers: 1, role: "other"},
	{name: "外部DNSサーバ", seg: "internet", servers: 2, role: "dns", conf: 1},
	{name: "グループウェア", seg: "lgwan", servers: 1, role: "application"},
	{name: "インターネットメール", seg: "internet", servers: 1, role: "mail"},
	{name: "通話録音装置（市民相談窓口）", seg: "lgwan", office: "recorder", personal: true},
	{name: "庁内複合機", seg: "lgwan", office: "mfp"},
	{name: "ファイルサーバ", seg: "lgwan", servers: 2, role: "other"},
	{name: "児童手当システム", seg: "mynumber", personal: true, servers: 1, role: "application"},
	{name: "後期高齢者医療システム", seg: "mynumber", personal: true, servers: 1, role: "application"},
	{name: "国民年金システム", seg: "mynumber", personal: true, servers: 1, role: "application"},
	{name: "収滞納管理システム", seg: "mynumber", personal: true, servers: 1, role: "application"},
	{name: "健康管理システム", seg: "mynumber", personal: true, servers: 1, role: "application"},
	{name: "就学事務システム", seg: "mynumber", personal: true, servers: 1, role: "application"},
	{name: "戸籍システム", seg: "mynumber", personal: true, important: true, servers: 2, role: "database"},
	{name: "印鑑登録システム", seg: "mynumber", personal: true, servers: 1, role: "application"},
	{name: "コンビニ交付システム", seg: "mynumber", personal: true, servers: 1, role: "gateway"},
	{name: "無害化通信ゲートウェイ", seg: "lgwan", servers: 1, role: "gateway", important: true},
	{name: "例規データベース", seg: "lgwan", servers: 1, role: "application", conf: 1},
	{name: "統合型GIS", seg: "lgwan", servers: 1, role: "application"},
	{name: "上下水道料金システム", seg: "lgwan", personal: true, servers: 1, role: "application"},
	{name: "公営住宅管理システム", seg: "lgwan", personal: true, servers: 1, role: "application"},
	{name: "議会会議録検索システム", seg: "internet", servers: 1, role: "web", conf: 1},
	{name: "施設予約システム", seg: "internet", personal: true, servers: 1, role: "web"},
	{name: "図書館システム", seg: "internet", personal: true, servers: 1, role: "web"},
	{name: "防災情報配信システム", seg: "internet", important: true, servers: 1, role: "web"},
	{name: "校務支援システム", seg: "lgwan", personal: true, servers: 1, role: "application"},
}

// prefecturalSystems is a 都道府県's estate, in order of priority.
var prefecturalSystems = []sysDef{
	{name: "LGWAN接続系端末", seg: "lgwan", fleet: true, servers: 2, role: "other"},
	{name: "マイナンバー利用事務系端末", seg: "mynumber", fleet: true, personal: true, servers: 1, role: "other"},
	{name: "インターネット接続系端末（仮想ブラウザ）", seg: "internet", fleet: true, servers: 2, role: "gateway"},
	{name: "自治体情報セキュリティクラウド", seg: "internet", infra: true, important: true, servers: 4, role: "web"},
	{name: "県税システム", seg: "mynumber", personal: true, important: true, servers: 3, role: "database"},
	{name: "財務会計システム", seg: "lgwan", important: true, servers: 2, role: "application"},
	{name: "人事給与システム", seg: "lgwan", personal: true, important: true, servers: 2, role: "database"},
	{name: "文書管理・電子決裁システム", seg: "lgwan", important: true, servers: 2, role: "application"},
	{name: "LGWANメール", seg: "lgwan", servers: 2, role: "mail", important: true},
	{name: "公式ウェブサイト", seg: "internet", servers: 2, role: "web", conf: 1},
	{name: "外部DNSサーバ", seg: "internet", servers: 2, role: "dns", conf: 1},
	{name: "電子申請システム", seg: "internet", personal: true, servers: 2, role: "web"},
	{name: "防災情報システム", seg: "lgwan", important: true, servers: 2, role: "application"},
	{name: "庁内ネットワーク基盤", seg: "lgwan", infra: true, important: true, servers: 1, role: "other"},
	{name: "旅券発給管理システム", seg: "lgwan", personal: true, servers: 1, role: "application"},
	{name: "生活保護システム", seg: "mynumber", personal: true, important: true, servers: 1, role: "application"},
	{name: "通話録音装置（県民相談窓口）", seg: "lgwan", office: "recorder", personal: true},
	{name: "庁内複合機", seg: "lgwan", office: "mfp"},
	{name: "自動車税システム", seg: "mynumber", personal: true, servers: 1, role: "application"},
	{name: "電子入札システム", seg: "internet", servers: 1, role: "web"},
	{name: "道路管理システム", seg: "lgwan", servers: 1, role: "application"},
	{name: "県立病院情報システム", seg: "other", personal: true, important: true, servers: 3, role: "database"},
	{name: "校務支援システム（県立学校）", seg: "lgwan", personal: true, servers: 2, role: "application"},
	{name: "統合型GIS", seg: "lgwan", servers: 1, role: "application"},
	{name: "ファイルサーバ", seg: "lgwan", servers: 2, role: "other"},
	{name: "無害化通信ゲートウェイ", seg: "lgwan", servers: 1, role: "gateway", important: true},
	{name: "グループウェア", seg: "lgwan", servers: 1, role: "application"},
	{name: "河川水位監視システム", seg: "internet", important: true, servers: 1, role: "web"},
}

// centralSystems is a 本府省庁等's estate before its ministry-specific systems.
var centralSystems = []sysDef{
	{name: "職員用端末（府省LAN）", seg: "government", fleet: true, servers: 2, role: "other"},
	{name: "府省ネットワーク基盤", seg: "government", infra: true, important: true, servers: 2, role: "other"},
	{name: "人事給与システム", seg: "government", personal: true, important: true, servers: 2, role: "database"},
	{name: "文書管理システム", seg: "government", important: true, servers: 2, role: "application"},
	{name: "電子決裁システム", seg: "government", servers: 1, role: "application"},
	{name: "メールシステム", seg: "government", important: true, servers: 2, role: "mail"},
	{name: "公式ウェブサイト", seg: "internet", servers: 2, role: "web", conf: 1},
	{name: "電子申請システム", seg: "internet", personal: true, servers: 2, role: "web"},
	{name: "職員ポータル", seg: "government", servers: 1, role: "web"},
	{name: "会計システム", seg: "government", important: true, servers: 1, role: "application"},
	{name: "統計データ基盤", seg: "other", servers: 2, role: "database"},
	{name: "認証基盤", seg: "government", important: true, servers: 2, role: "other"},
	{name: "インターネット閲覧環境（仮想ブラウザ）", seg: "internet", fleet: true, servers: 2, role: "gateway"},
	{name: "通話録音装置（相談窓口）", seg: "other", office: "recorder", personal: true},
	{name: "複合機", seg: "government", office: "mfp"},
}

// branchSystems is a 地方支分部局's estate before its ministry-specific systems.
var branchSystems = []sysDef{
	{name: "職員用端末（局内LAN）", seg: "government", fleet: true, servers: 1, role: "other"},
	{name: "局内ネットワーク", seg: "government", infra: true, important: true, servers: 1, role: "other"},
	{name: "申請受付システム", seg: "internet", personal: true, servers: 1, role: "web"},
	{name: "業務管理システム", seg: "government", servers: 1, role: "application"},
	{name: "複合機", seg: "government", office: "mfp"},
}

// agencySystems is an 独立行政法人等's estate before its own systems.
var agencySystems = []sysDef{
	{name: "職員用端末", seg: "other", fleet: true, servers: 1, role: "other"},
	{name: "ネットワーク基盤", seg: "other", infra: true, important: true, servers: 2, role: "other"},
	{name: "人事給与システム", seg: "other", personal: true, important: true, servers: 1, role: "database"},
	{name: "会計システム", seg: "other", important: true, servers: 1, role: "application"},
	{name: "コールセンターシステム", seg: "other", personal: true, servers: 2, role: "application"},
	{name: "通話録音装置（コールセンター）", seg: "other", office: "recorder", personal: true},
	{name: "文書管理システム", seg: "other", servers: 1, role: "application"},
	{name: "公式ウェブサイト", seg: "internet", servers: 2, role: "web", conf: 1},
	{name: "メールシステム", seg: "other", servers: 1, role: "mail", important: true},
	{name: "複合機", seg: "other", office: "mfp"},
}

// Free-text values of the register items.
var (
	dataLocations = []string{"国内リージョン（東京・大阪）", "国内データセンター、日本法準拠・東京地方裁判所管轄",
		"国内リージョン（東京）、契約終了時のデータ消去証明あり", "国内データセンター（事業者所有）"}
	handlingRestrictions = []string{"関係者限り", "複製禁止、関係者限り", "配付禁止", "暗号化必須", "転送禁止、関係者限り"}
)

// configurationsOf returns plausible システム構成 descriptions for a system.
func configurationsOf(d *sysDef, hosting string) []string {
	switch {
	case d.office != "":
		return []string{"単体設置の機器", "単体設置の機器（保守用回線あり）"}
	case d.fleet:
		return []string{"標準端末（シンクライアント方式、VDI）", "標準端末（ファットクライアント、資産管理ソフト導入）",
			"標準端末（画面転送方式）"}
	case d.infra:
		return []string{"コアスイッチ冗長構成、フロアスイッチ、拠点間は閉域網", "L3スイッチ冗長構成、無線LAN、UTMによる境界防御"}
	case hosting == "cloud":
		return []string{"SaaS利用、庁内からはブラウザで接続", "IaaS上の仮想サーバ構成（Web・AP・DB）", "PaaS上のコンテナ構成"}
	case hosting == "hybrid":
		return []string{"クラウド上のAP・DB、庁内に連携サーバ", "オンプレミスのDBとクラウドのWebフロントの併用"}
	}
	return []string{"Web・AP・DBの3層構成、冗長化構成（Active-Standby）", "クライアントサーバ型、DBサーバ1台・APサーバ2台",
		"仮想化基盤上の仮想サーバ構成", "パッケージシステム、カスタマイズあり"}
}

// connections returns the plausible 外部通信回線 of a system in a segment.
func connections(local bool, seg string) []string {
	switch {
	case seg == "mynumber":
		return []string{"なし（閉域）", "中間サーバー接続（LGWAN経由の専用回線）"}
	case seg == "lgwan":
		return []string{"LGWAN", "LGWAN、無害化通信経由でインターネット"}
	case seg == "internet" && local:
		return []string{"インターネット（自治体情報セキュリティクラウド経由）", "インターネット"}
	case seg == "internet":
		return []string{"インターネット", "インターネット（CDN経由）"}
	case seg == "government":
		return []string{"政府共通ネットワーク", "政府共通ネットワーク、府省間ネットワーク"}
	}
	return []string{"専用線", "閉域網（IP-VPN）", "なし（閉域）"}
}

// Component names by kind, and the network devices a site carries.
var (
	networkDeviceNames = []string{"L3スイッチ", "L2スイッチ", "ルータ", "無線LANアクセスポイント", "ファイアウォール"}
	applianceNames     = []string{"UTM", "WAF", "メール無害化装置", "サンドボックス", "ログ管理アプライアンス", "負荷分散装置"}
)
