import Fluent
import Vapor
import ZhengxinCore

/// The demo organisations and one account each; printed by `seed-demo` and scripts/run.sh.
package enum DemoAccounts {
    package static let password = "Zhengxin@2026"

    package struct Org { package let key: String; package let name: String; package let type: OrganisationType }
    package struct Account {
        package let username: String; package let displayName: String; package let orgKey: String; package let roles: Set<Role>
    }

    package static let organisations: [Org] = [
        Org(key: "drc", name: "郑州市发展和改革委员会", type: .drc),
        Org(key: "fin", name: "郑州市财政局", type: .fin),
        Org(key: "bdb", name: "郑州市大数据管理局", type: .bdb),
        Org(key: "aud", name: "郑州市审计局", type: .aud),
        Org(key: "health", name: "郑州市卫生健康委员会", type: .unit),
        Org(key: "edu", name: "郑州市教育局", type: .unit),
        Org(key: "vendor", name: "河南中原数字科技有限公司", type: .vendor),
    ]

    package static let accounts: [Account] = [
        Account(username: "drc", displayName: "发改委经办人", orgKey: "drc", roles: [.staff]),
        Account(username: "fin", displayName: "财政局经办人", orgKey: "fin", roles: [.staff]),
        Account(username: "bdb", displayName: "大数据局经办人", orgKey: "bdb", roles: [.staff]),
        Account(username: "aud", displayName: "审计局审计员", orgKey: "aud", roles: [.staff]),
        Account(username: "health", displayName: "卫健委项目负责人", orgKey: "health", roles: [.staff]),
        Account(username: "edu", displayName: "教育局项目负责人", orgKey: "edu", roles: [.staff]),
        Account(username: "vendor", displayName: "承建单位项目经理", orgKey: "vendor", roles: [.staff]),
        // 三权分立: three administrators, one role each, in the organisation that runs the system.
        Account(username: "sysadmin", displayName: "系统管理员", orgKey: "bdb", roles: [.systemAdmin]),
        Account(username: "secadmin", displayName: "安全管理员", orgKey: "bdb", roles: [.securityAdmin]),
        Account(username: "auditadmin", displayName: "审计管理员", orgKey: "bdb", roles: [.auditAdmin]),
    ]

    /// The city's other units in the demo, each with one account: the demo portfolio is theirs as
    /// much as health's and education's. Kept apart from `organisations`, which zhengxin-bench also loads.
    static let cityUnits: [Org] = [
        Org(key: "traffic", name: "郑州市交通运输局", type: .unit),
        Org(key: "medins", name: "郑州市医疗保障局", type: .unit),
        Org(key: "gov", name: "郑州市行政审批和政务信息管理局", type: .unit),
        Org(key: "police", name: "郑州市公安局", type: .unit),
        Org(key: "emergency", name: "郑州市应急管理局", type: .unit),
        Org(key: "urban", name: "郑州市城市管理局", type: .unit),
        Org(key: "market", name: "郑州市市场监督管理局", type: .unit),
    ]

    static let cityAccounts: [Account] = [
        Account(username: "traffic", displayName: "交通局项目负责人", orgKey: "traffic", roles: [.staff]),
        Account(username: "medins", displayName: "医保局项目负责人", orgKey: "medins", roles: [.staff]),
        Account(username: "gov", displayName: "政务信息管理局项目负责人", orgKey: "gov", roles: [.staff]),
        Account(username: "police", displayName: "公安局科技信息化处处长", orgKey: "police", roles: [.staff]),
        Account(username: "emergency", displayName: "应急局项目负责人", orgKey: "emergency", roles: [.staff]),
        Account(username: "urban", displayName: "城管局项目负责人", orgKey: "urban", roles: [.staff]),
        Account(username: "market", displayName: "市场监管局项目负责人", orgKey: "market", roles: [.staff]),
    ]

    /// Everything `seed-demo` creates and prints.
    static var allOrganisations: [Org] { organisations + cityUnits }
    static var allAccounts: [Account] { accounts + cityAccounts }

    /// The published TOTP secret of a demo account: base32 of "zhengxin-demo-<username>". Anyone
    /// can compute these codes, which is why they are marked demo and `totp-code` shows only them.
    static func totpSecret(_ username: String) -> String { TOTPCode.base32(Array("zhengxin-demo-\(username)".utf8)) }

    static func needsTOTP(_ account: Account) -> Bool {
        RoleRules.requiresSecondFactor(organisation: allOrganisations.first { $0.key == account.orgKey }!.type, roles: account.roles)
    }

    static var table: String {
        var lines = ["演示账号 (demo accounts), 密码均为 \(password):"]
        for a in allAccounts {
            let org = allOrganisations.first { $0.key == a.orgKey }!
            let roles = a.roles == [.staff] ? "" : " (\(a.roles.map(\.chinese).sorted().joined(separator: "、")))"
            let totp = needsTOTP(a) ? "  动态口令密钥 \(totpSecret(a.username))" : ""
            lines.append(
                "  \(a.username.padding(toLength: 10, withPad: " ", startingAt: 0)) \(org.type.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(org.name)\(roles)\(totp)"
            )
        }
        lines.append("DRC/FIN/BDB/AUD 和管理员账号须加动态口令(TOTP)登录: 请求体加 \"totp\"。演示账号的当前口令: zhengxin totp-code --username drc")
        lines.append("(totp-code 只对演示账号有效;正式账号用 zhengxin enroll-totp --username <用户名> 绑定身份验证器)")
        return lines.joined(separator: "\n")
    }
}

extension DemoAccounts {
    /// Gives every demo account that needs a second factor its published secret, marked demo.
    package static func enrolTOTP(_ users: [UserModel], on db: Database) async throws {
        for user in users {
            guard let account = allAccounts.first(where: { $0.username == user.username }), needsTOTP(account) else { continue }
            let security = AccountSecurityModel(userId: try user.requireID())
            try TOTPEnrolment.enrol(security, secretBase32: totpSecret(account.username), demo: true)
            try await security.create(on: db)
        }
    }
}

extension DemoAccounts {
    /// A database seeded before TOTP existed: demo accounts that still have the published
    /// password get the published secret too, so the printed instructions work. Nothing is given
    /// away, since the password is public already; an account whose password was changed is left alone.
    static func enrolMissingTOTP(_ app: Application) async throws -> Int {
        var enrolled = 0
        for account in allAccounts where needsTOTP(account) {
            guard let user = try await UserModel.query(on: app.db).filter(\.$username == account.username).first(), let userId = user.id,
                try Bcrypt.verify(password, created: user.passwordHash)
            else { continue }
            let added = try await app.writeTransaction { db in
                let security = try await AccountSecurityModel.load(userId, on: db)
                guard security.totpSecret == nil else { return false }
                try TOTPEnrolment.enrol(security, secretBase32: totpSecret(account.username), demo: true)
                try await security.save(on: db)
                return true
            }
            if added { enrolled += 1 }
        }
        return enrolled
    }
}
