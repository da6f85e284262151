import ZhengxinCore

/// The demo organisations and one account each; printed by `seed-demo` and scripts/run.sh.
enum DemoAccounts {
    static let password = "Zhengxin@2026"

    struct Org { let key: String; let name: String; let type: OrganisationType }
    struct Account { let username: String; let displayName: String; let orgKey: String; let roles: Set<Role> }

    static let organisations: [Org] = [
        Org(key: "drc", name: "郑州市发展和改革委员会", type: .drc),
        Org(key: "fin", name: "郑州市财政局", type: .fin),
        Org(key: "bdb", name: "郑州市大数据管理局", type: .bdb),
        Org(key: "aud", name: "郑州市审计局", type: .aud),
        Org(key: "health", name: "郑州市卫生健康委员会", type: .unit),
        Org(key: "edu", name: "郑州市教育局", type: .unit),
        Org(key: "vendor", name: "河南中原数字科技有限公司", type: .vendor),
    ]

    static let accounts: [Account] = [
        Account(username: "drc", displayName: "发改委经办人", orgKey: "drc", roles: [.staff]),
        Account(username: "fin", displayName: "财政局经办人", orgKey: "fin", roles: [.staff]),
        Account(username: "bdb", displayName: "大数据局经办人", orgKey: "bdb", roles: [.staff]),
        Account(username: "aud", displayName: "审计局审计员", orgKey: "aud", roles: [.staff]),
        Account(username: "health", displayName: "卫健委项目负责人", orgKey: "health", roles: [.staff]),
        Account(username: "edu", displayName: "教育局项目负责人", orgKey: "edu", roles: [.staff]),
        Account(username: "vendor", displayName: "承建单位项目经理", orgKey: "vendor", roles: [.staff]),
    ]

    static var table: String {
        var lines = ["演示账号 (demo accounts), 密码均为 \(password):"]
        for a in accounts {
            let org = organisations.first { $0.key == a.orgKey }!
            lines.append("  \(a.username.padding(toLength: 8, withPad: " ", startingAt: 0)) \(org.type.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(org.name)")
        }
        return lines.joined(separator: "\n")
    }
}
