import ZhengxinCore

/// The demo's portfolio: what the city's units proposed over three years and how far each got.
/// Every project is walked through the real rules (DemoStory) to `target`, its last step `ago`
/// days before the day before seeding; the extras are what happened on the way.
struct DemoProject {
    enum Extra: Hashable {
        /// 建设内容单一、技术方案简单: DRC merges 可研 and 初设 (第十条).
        case simpleContent
        /// A 变更 within 15% filed and acknowledged by DRC; one filed and not yet acknowledged; one over 15% awaiting approval (第十九条).
        case changeAcknowledged, changeFiled, changeAwaitingApproval
        /// The second payment of the construction money (第十一条).
        case secondPayment
        /// 市审计局's audit with a finding the unit has answered, awaiting 销号 (第三十五条, 第三十六条).
        case auditAnswered
        /// 市财政局's inspection with a finding left unanswered past its deadline (第三十六条).
        case inspectionOverdue
        /// 市大数据局's inspection, answered and closed.
        case inspectionClosed
        /// An information-resource catalog entry BDB has not yet taken onto the platform (第二十八条).
        case catalogUnregistered
        /// Of the three acceptance opinions (第二十一条), those already given.
        case signedBy([OrganisationType])
        /// Feedback on the use of its shared data (第二十八条).
        case sharingFeedback
        /// A draft for a plan year whose declaration window (第七条) closed while it waited.
        case missedDeclaration
    }

    var unit: String
    var name: String
    /// 万元.
    var wan: Int64
    var target: Stage
    var ago: Int
    var content: String
    var category: ProjectCategory = .businessSystem
    var extras: [Extra] = []
    var classified = false
    var source: ProjectSource = .unitDeclaration

    var yuan: Int64 { wan * 10_000 }
    func has(_ extra: Extra) -> Bool { extras.contains(extra) }
}

enum DemoCity {
    typealias P = DemoProject

    static let projects: [DemoProject] = health + education + traffic + medicalInsurance + government + police + emergency + urban + market

    static let health: [P] = [
        P(
            unit: "health", name: "全民健康信息平台", wan: 3_200, target: .constructing, ago: 12,
            content: "建设市级全民健康信息平台,汇聚电子健康档案、电子病历和全员人口信息三大数据库,实现医疗机构互联互通", category: .resourceDatabase,
            extras: [.changeAcknowledged, .secondPayment]),
        P(
            unit: "health", name: "基层医疗卫生机构信息系统升级", wan: 850, target: .operating, ago: 240,
            content: "升级社区卫生服务中心和乡镇卫生院的基本医疗、公共卫生和家庭医生签约系统", extras: [.sharingFeedback]),
        P(
            unit: "health", name: "智慧医院互联互通工程", wan: 6_800, target: .approving, ago: 9,
            content: "市属医院电子病历六级和互联互通四甲改造,建设预约诊疗、检查检验结果互认和院间会诊平台"),
        P(
            unit: "health", name: "卫生监督执法信息系统", wan: 999, target: .trialRunning, ago: 30,
            content: "建设卫生监督移动执法、在线监测和信用监管系统,对接省卫生监督平台"),
        P(
            unit: "health", name: "疫苗流通追溯系统", wan: 600, target: .draft, ago: 4,
            content: "疫苗从入库、配送到接种的全程追溯,对接国家疫苗追溯协同服务平台"),
        P(
            unit: "health", name: "医疗急救指挥调度系统", wan: 1_500, target: .acceptanceApplied, ago: 6,
            content: "120急救指挥调度、车载终端和院前院内衔接系统", extras: [.signedBy([.drc])]),
        P(
            unit: "health", name: "妇幼健康服务信息系统", wan: 420, target: .completed, ago: 215,
            content: "孕产妇和儿童健康管理、出生医学证明和妇幼健康统计系统"),
        P(
            unit: "health", name: "互联网医院监管平台", wan: 770, target: .constructing, ago: 58,
            content: "对全市互联网医院的诊疗行为、处方流转和医师资质进行在线监管", extras: [.inspectionClosed]),
        P(
            unit: "health", name: "公共卫生应急监测预警平台", wan: 2_600, target: .techReview, ago: 3,
            content: "多点触发的传染病监测预警、症状监测和应急物资调度平台"),
    ]

    static let education: [P] = [
        P(
            unit: "edu", name: "中小学学籍管理系统", wan: 250, target: .operating, ago: 250,
            content: "全市中小学学籍管理、转学和学业水平信息系统,对接全国中小学生学籍信息管理系统"),
        P(
            unit: "edu", name: "智慧校园综合平台", wan: 4_500, target: .constructing, ago: 16,
            content: "中小学统一身份认证、教学资源、家校互通和校园物联感知平台", extras: [.auditAnswered]),
        P(
            unit: "edu", name: "教育城域网扩容", wan: 1_500, target: .approved, ago: 11,
            content: "教育城域网核心和汇聚层万兆扩容,学校接入带宽提升至千兆", category: .network, extras: [.simpleContent]),
        P(
            unit: "edu", name: "校园安全视频监控系统", wan: 1_200, target: .procuring, ago: 20,
            content: "中小学和幼儿园校门、食堂、宿舍视频监控联网及一键报警"),
        P(
            unit: "edu", name: "招生考试信息系统", wan: 480, target: .declared, ago: 2,
            content: "义务教育阶段入学报名、中招网上录取和考务管理系统"),
        P(
            unit: "edu", name: "教育资源公共服务平台", wan: 5_200, target: .reserve, ago: 55,
            content: "市级优质数字教育资源库、名师课堂和区域教研平台", category: .resourceDatabase),
        P(
            unit: "edu", name: "教师发展管理平台", wan: 360, target: .withdrawn, ago: 88,
            content: "教师继续教育学分、职称评审和交流轮岗管理"),
        P(
            unit: "edu", name: "校外培训监管服务平台", wan: 180, target: .rejected, ago: 120,
            content: "校外培训机构备案、资金监管和学员投诉处理"),
        P(
            unit: "edu", name: "职业教育实训管理平台", wan: 330, target: .operating, ago: 260,
            content: "职业院校实训基地预约、实训过程记录和技能评价"),
    ]

    static let traffic: [P] = [
        P(
            unit: "traffic", name: "郑州市智慧交通信号控制平台", wan: 8_600, target: .constructing, ago: 9,
            content: "全市1200个路口信号机联网,建设自适应控制、绿波协调和特勤优先的信号控制平台", extras: [.changeAwaitingApproval]),
        P(
            unit: "traffic", name: "公交智能调度系统二期", wan: 2_200, target: .operating, ago: 230,
            content: "公交车辆智能调度、客流感知和电子站牌扩展至全部线路", extras: [.sharingFeedback]),
        P(
            unit: "traffic", name: "网约车监管信息平台", wan: 780, target: .accepted, ago: 12,
            content: "网约车平台数据接入、运营合规性检查和投诉处理"),
        P(
            unit: "traffic", name: "交通运输综合执法系统", wan: 1_150, target: .completed, ago: 28,
            content: "路政、运政、港航执法一体化的移动执法和案件管理系统"),
        P(
            unit: "traffic", name: "城市停车信息管理平台", wan: 1_800, target: .planned, ago: 30,
            content: "全市路内外停车泊位联网、停车诱导和无感支付"),
        P(
            unit: "traffic", name: "道路运输安全监测平台", wan: 920, target: .returned, ago: 14,
            content: "两客一危车辆动态监控、驾驶员行为分析和安全预警"),
        P(
            unit: "traffic", name: "智慧公路养护管理系统", wan: 1_400, target: .acceptanceApplied, ago: 18,
            content: "干线公路路况巡检、病害识别和养护工程管理", extras: [.signedBy([.drc, .fin])]),
    ]

    static let medicalInsurance: [P] = [
        P(
            unit: "medins", name: "市医保基金智能监管系统", wan: 2_800, target: .constructing, ago: 24,
            content: "医保基金事前提醒、事中审核和事后稽核的智能监管系统,建设知识库和规则库", extras: [.inspectionOverdue, .catalogUnregistered]),
        P(
            unit: "medins", name: "医保电子凭证应用推广", wan: 390, target: .operating, ago: 120,
            content: "医保电子凭证在定点医药机构的扫码结算和移动支付应用"),
        P(
            unit: "medins", name: "医保公共服务平台", wan: 1_260, target: .acceptanceApplied, ago: 8,
            content: "医保业务网上办、掌上办的公共服务门户和异地就医备案"),
        P(
            unit: "medins", name: "长期护理保险信息系统", wan: 670, target: .approving, ago: 7,
            content: "长期护理保险失能评估、护理服务和待遇结算系统"),
        P(
            unit: "medins", name: "医保药品耗材招采管理系统", wan: 880, target: .terminated, ago: 35,
            content: "药品和医用耗材集中带量采购、货款结算和使用监测"),
        P(
            unit: "medins", name: "医保移动支付平台", wan: 260, target: .constructing, ago: 47,
            content: "互联网医院和定点药店的医保线上结算"),
    ]

    static let government: [P] = [
        P(
            unit: "gov", name: "政务服务一网通办平台二期", wan: 7_500, target: .constructing, ago: 5,
            content: "在一期基础上建设统一受理、智能审批、电子证照调用和好差评的全流程网上办理平台", extras: [.changeFiled, .catalogUnregistered]),
        P(
            unit: "gov", name: "政务服务一网通办平台", wan: 4_800, target: .operating, ago: 245,
            content: "全市统一的政务服务门户、统一身份认证和统一受理平台"),
        P(
            unit: "gov", name: "12345政务服务便民热线系统升级", wan: 1_350, target: .operating, ago: 60,
            content: "热线智能语音、工单智能分派和知识库升级", extras: [.sharingFeedback]),
        P(
            unit: "gov", name: "电子证照库扩容", wan: 620, target: .trialRunning, ago: 10,
            content: "电子证照库新增80类证照并对接省电子证照系统", category: .resourceDatabase),
        P(
            unit: "gov", name: "政务服务好差评系统", wan: 230, target: .accepted, ago: 45,
            content: "线上线下政务服务评价的汇集、分析和整改督办"),
        P(
            unit: "gov", name: "城市运行综合管理平台", wan: 2_400, target: .techReview, ago: 4,
            content: "汇聚城市运行体征数据,建设城市运行监测、分析研判和指挥调度的综合管理平台"),
        P(
            unit: "gov", name: "一件事一次办集成平台", wan: 980, target: .reserve, ago: 28,
            content: "出生、入学、就业等高频事项的一件事集成办理"),
        P(
            unit: "gov", name: "政务数据共享交换平台升级", wan: 3_800, target: .operating, ago: 200,
            content: "政务数据共享交换平台扩容,建设数据目录、接口管理和数据质量监测", category: .resourceDatabase, extras: [.sharingFeedback]),
    ]

    /// The 涉密 project: only the people named on it see it (第十七条).
    static let police: [P] = [
        P(
            unit: "police", name: "公安涉密数据安全交换系统", wan: 1_600, target: .constructing, ago: 26,
            content: "公安专网与涉密网之间的数据安全交换和保密管理系统", category: .securityInfrastructure, classified: true),
        P(
            unit: "police", name: "智慧警务视频云平台", wan: 12_000, target: .approved, ago: 19,
            content: "全市公共安全视频图像资源汇聚、解析和共享应用的视频云平台"),
        P(
            unit: "police", name: "出入境证件自助办理系统", wan: 320, target: .operating, ago: 235,
            content: "出入境证件自助受理、自助签注和自助取证设备及系统"),
    ]

    static let emergency: [P] = [
        P(
            unit: "emergency", name: "应急指挥综合平台", wan: 5_800, target: .operating, ago: 150,
            content: "应急值守、监测预警、指挥调度和应急资源管理的综合平台", extras: [.auditAnswered]),
        P(
            unit: "emergency", name: "危险化学品安全监管系统", wan: 830, target: .suspended, ago: 38,
            content: "危险化学品企业重大危险源在线监测和安全生产风险预警"),
        P(
            unit: "emergency", name: "森林防火视频监测系统", wan: 460, target: .procuring, ago: 14,
            content: "西部山区森林防火视频监测、烟火识别和预警"),
        P(
            unit: "emergency", name: "城市生命线安全监测平台", wan: 6_600, target: .pendingGovernment, ago: 6,
            content: "燃气、供水、排水和桥梁的城市生命线安全运行监测平台"),
        P(
            unit: "emergency", name: "防汛抗旱指挥调度系统", wan: 1_950, target: .completed, ago: 236,
            content: "雨情水情实时监测、内涝预警和防汛抢险指挥调度"),
        P(
            unit: "emergency", name: "应急物资储备管理系统", wan: 310, target: .operating, ago: 255,
            content: "市县两级应急物资储备、调拨和消耗管理"),
    ]

    /// With the government office's platform above, the duplicate-looking pair: two units proposing one platform.
    static let urban: [P] = [
        P(
            unit: "urban", name: "城市综合运行管理平台", wan: 2_350, target: .declared, ago: 1,
            content: "汇聚城市运行体征数据,建设城市运行监测、分析研判和指挥调度的综合运行管理平台"),
        P(
            unit: "urban", name: "数字化城市管理系统升级", wan: 740, target: .operating, ago: 25,
            content: "数字城管案件采集、派遣和考核系统升级,接入视频智能识别"),
        P(
            unit: "urban", name: "智慧环卫监管平台", wan: 530, target: .constructing, ago: 33,
            content: "环卫车辆、作业人员和垃圾中转站的在线监管", extras: [.secondPayment]),
        P(
            unit: "urban", name: "户外广告招牌管理系统", wan: 120, target: .draft, ago: 2,
            content: "户外广告和招牌设置审批、巡查和安全检测管理"),
        P(
            unit: "urban", name: "市政设施物联感知平台", wan: 3_100, target: .approving, ago: 12,
            content: "道路、桥梁、井盖和路灯的物联感知与运行监测"),
    ]

    static let market: [P] = [
        P(
            unit: "market", name: "智慧市场监管平台", wan: 2_700, target: .operating, ago: 180,
            content: "市场主体登记、双随机抽查和信用风险分类监管平台", extras: [.auditAnswered]),
        P(
            unit: "market", name: "食品安全追溯监管系统", wan: 960, target: .accepted, ago: 15,
            content: "食品生产经营企业追溯数据接入和风险预警"),
        P(
            unit: "market", name: "特种设备安全监管系统", wan: 440, target: .trialRunning, ago: 55,
            content: "电梯、锅炉等特种设备登记、检验和维保监管"),
        P(
            unit: "market", name: "企业信用信息公示系统升级", wan: 280, target: .planned, ago: 12,
            content: "企业年报公示、经营异常名录和严重违法失信名单管理"),
        P(
            unit: "market", name: "12315消费维权平台", wan: 150, target: .reserve, ago: 20,
            content: "消费投诉举报受理、在线调解和消费维权数据分析"),
        P(
            unit: "market", name: "药品安全智慧监管系统", wan: 890, target: .draft, ago: 150,
            content: "药品经营企业进销存追溯和风险监测", extras: [.missedDeclaration]),
        P(
            unit: "market", name: "网络交易监测平台", wan: 690, target: .approved, ago: 29,
            content: "网络交易主体、商品和服务信息的监测和取证"),
    ]
}
