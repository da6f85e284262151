import Fluent
import Vapor
import ZhengxinCore
import ZhengxinServer

/// The organisations and accounts of a bench portfolio: the demo agencies, administrators and
/// vendor with their demo accounts (so `zhengxin totp-code` gives the agencies' codes), and 50
/// municipal units, the demo's two and 48 more, each with one account `unit03`…`unit50`.
struct BenchOrganisations: Sendable {
    var organisations: [OrganisationModel] = []
    var users: [UserModel] = []
    /// Agency and administrator actors by demo username; unit actors in unit order.
    var agencies: [OrganisationType: Actor] = [:]
    var units: [Actor] = []
    /// Unit names, in the order of `units`.
    var unitNames: [String] = []
    /// The demo's 承建单位 (account `vendor`), which BenchWalk names on some construction contracts.
    var vendor: UUID?

    static let moreUnitNames = [
        "郑州市公安局", "郑州市民政局", "郑州市司法局", "郑州市人力资源和社会保障局", "郑州市自然资源和规划局", "郑州市生态环境局",
        "郑州市住房保障和房地产管理局", "郑州市城乡建设局", "郑州市城市管理局", "郑州市交通运输局", "郑州市水利局", "郑州市农业农村局",
        "郑州市商务局", "郑州市文化广电和旅游局", "郑州市退役军人事务局", "郑州市应急管理局", "郑州市政务服务中心", "郑州市市场监督管理局",
        "郑州市体育局", "郑州市统计局", "郑州市医疗保障局", "郑州市园林局", "郑州市人民防空办公室", "郑州市信访局",
        "郑州市机关事务管理局", "郑州市地方金融监督管理局", "郑州市科学技术局", "郑州市工业和信息化局", "郑州市档案馆", "郑州市住房公积金管理中心",
        "郑州市公共资源交易中心", "郑州市行政审批和政务信息管理局", "郑州市气象局", "郑州市消防救援支队", "郑州市残疾人联合会", "郑州市妇女联合会",
        "郑州市总工会", "郑州市共青团委员会", "郑州市红十字会", "郑州市供销合作社", "郑州市粮食和物资储备局", "郑州市林业局",
        "郑州市民族宗教事务委员会", "郑州市外事办公室", "郑州市国有资产监督管理委员会", "郑州市城市规划展览馆", "郑州市图书馆", "郑州市急救中心",
    ]

    /// Deterministic from the seed: the same ids every time, one password hash shared by all
    /// accounts (hashing 60 passwords with bcrypt would cost more than the whole portfolio).
    init(seed: UInt64, units count: Int, passwordHash: String) {
        var rng = SeededRandom(seed: seed, stream: "organisations", index: 0)
        var orgIds: [String: UUID] = [:]
        for org in DemoAccounts.organisations {
            let model = OrganisationModel(id: rng.uuid(), name: org.name, type: org.type)
            organisations.append(model)
            orgIds[org.key] = model.id!
            if org.type == .vendor { vendor = model.id }
        }
        for account in DemoAccounts.accounts {
            let org = DemoAccounts.organisations.first { $0.key == account.orgKey }!
            let user = UserModel(
                id: rng.uuid(), username: account.username, displayName: account.displayName, passwordHash: passwordHash,
                organisationId: orgIds[org.key]!, roles: account.roles)
            users.append(user)
            let actor = Actor(
                userId: user.id!, displayName: account.displayName, organisationId: orgIds[org.key]!, organisationType: org.type,
                roles: account.roles)
            if account.roles == [.staff], org.type != .unit, org.type != .vendor { agencies[org.type] = actor }
            if org.type == .unit {
                units.append(actor)
                unitNames.append(org.name)
            }
        }
        for (i, name) in Self.moreUnitNames.prefix(max(0, count - units.count)).enumerated() {
            let org = OrganisationModel(id: rng.uuid(), name: name, type: .unit)
            let username = String(format: "unit%02d", i + 3)
            let user = UserModel(
                id: rng.uuid(), username: username, displayName: "\(name)项目负责人", passwordHash: passwordHash,
                organisationId: org.id!, roles: [.staff])
            organisations.append(org)
            users.append(user)
            units.append(
                Actor(userId: user.id!, displayName: user.displayName, organisationId: org.id!, organisationType: .unit, roles: [.staff]))
            unitNames.append(name)
        }
    }

    func save(on db: Database) async throws {
        try await organisations.create(on: db)
        try await users.create(on: db)
        try await DemoAccounts.enrolTOTP(users, on: db)
    }
}
