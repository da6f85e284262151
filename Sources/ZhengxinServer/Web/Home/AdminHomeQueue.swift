import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// An administrator's home page: what waits on it now (AdminQueues), each matter linking to the
/// page that acts on it, then its functions. Only the administration tables and the audit record
/// are read (三权分立: no business data).
struct AdminHomePage: Encodable {
    struct Item: Encodable { var title: String; var detail: String; var href: String; var when: String }
    struct Section: Encodable {
        var id: String
        var heading: String
        var basis: String
        var count: String
        var items: [Item]
        var hasItems: Bool
        var empty: String
    }

    var sections: [Section] = []
    /// Matters waiting, over all sections (capped counts added).
    var waiting = 0
    var notes: [String] = []
    var functions: [AdminHome.Function]
}

enum AdminHomeQueue {
    static func page(_ user: WebUser, limit: Int, _ req: Request) async throws -> AdminHomePage {
        let actor = try req.caller()
        var page = AdminHomePage(functions: AdminHome.for(user).functions)
        let now = req.now.secondsSinceEpoch
        if actor.roles.contains(.securityAdmin) {
            page.sections.append(try await proposals(actor, limit: limit, req))
            page.sections.append(try await locked(now: now, limit: limit, req))
            page.sections.append(try await lapsedEnrolments(now: now, limit: limit, req))
        }
        if actor.roles.contains(.systemAdmin) {
            page.sections.append(try await activations(actor, lapsed: false, now: now, limit: limit, req))
            page.sections.append(try await activations(actor, lapsed: true, now: now, limit: limit, req))
            page.sections.append(try await rejected(actor, now: now, limit: limit, req))
            let pending = try await count(AdminQueues.ownPendingCount(by: actor.userId), req)
            if pending > 0 { page.notes.append("本人提出的新建账号申请中,有\(shown(pending))件正等待安全管理员批准。") }
        }
        if actor.roles.contains(.auditAdmin) {
            let review = try await AdminEventReview.pending(limitPerAction: 0, req)
            page.sections.append(
                Section(
                    id: "queue-events", heading: "待审阅的管理员操作和安全事件",
                    basis: "GB/T 22239-2019 8.1.4.3 安全审计、8.1.4.4 审计管理员对系统管理员和安全管理员的操作进行审计",
                    count: shown(review.total),
                    items: review.kinds.map {
                        Item(title: "审阅「\($0.title)」", detail: "\(shown($0.count))条", href: "/admin/events", when: "")
                    },
                    hasItems: !review.kinds.isEmpty,
                    empty: "上次审阅之后没有新的管理员操作或安全事件。"))
            page.notes.append(review.last.map { "上次审阅: \($0.when),\($0.reviewer),审阅至审计记录第\($0.through)条。" } ?? "尚未审阅过管理员操作和安全事件。")
        }
        page.waiting = page.sections.reduce(0) { $0 + (Int($1.count.filter(\.isNumber)) ?? 0) }
        return page
    }

    typealias Section = AdminHomePage.Section
    typealias Item = AdminHomePage.Item

    static func shown(_ count: Int) -> String { count >= AdminQueues.countCap ? "\(AdminQueues.countCap)+" : String(count) }

    static func count(_ query: SQLQueryString, _ req: Request) async throws -> Int {
        try await PlainRows.all(query, on: req.db).first?.int(0) ?? 0
    }

    static func roleTitles(_ roles: String) -> String {
        roles.split(separator: ",").compactMap { Role(rawValue: String($0))?.chinese }.joined(separator: "、")
    }

    static func proposals(_ actor: Actor, limit: Int, _ req: Request) async throws -> Section {
        let rows = try await PlainRows.all(AdminQueues.pendingProposals(notBy: actor.userId, limit: limit), on: req.db)
        let items = try rows.map { row in
            Item(
                title: "批准或驳回新建账号 \(try row.text(1))(\(try row.text(2)))",
                detail: "\(try row.text(5)) · \(roleTitles(try row.text(3)))", href: "/admin/proposals/\(try row.uuid(0).uuidString)",
                when: "提出于 " + LoginFlow.beijing(try row.int64(4)))
        }
        return Section(
            id: "queue-proposals", heading: "待批准的新建账号申请", basis: "三权分立: 系统管理员提出,安全管理员批准(GB/T 22239-2019 8.1.4.4)",
            count: shown(try await count(AdminQueues.pendingProposalCount(notBy: actor.userId), req)), items: items,
            hasItems: !items.isEmpty, empty: "没有待批准的申请。")
    }

    static func locked(now: Int64, limit: Int, _ req: Request) async throws -> Section {
        let rows = try await PlainRows.all(AdminQueues.lockedAccounts(at: now, limit: limit), on: req.db)
        let items = try rows.map { row in
            Item(
                title: "核实后解除锁定 \(try row.text(1))(\(try row.text(2)))", detail: "连续登录失败达到锁定次数;与本人核实确为本人所为后解除",
                href: "/admin/users/\(try row.uuid(0).uuidString)", when: "锁定至 " + LoginFlow.beijing(try row.int64(3)))
        }
        return Section(
            id: "queue-locked", heading: "被锁定的账号", basis: "登录失败处理(GB/T 22239-2019 8.1.4.1 b))",
            count: shown(try await count(AdminQueues.lockedCount(at: now), req)), items: items, hasItems: !items.isEmpty,
            empty: "没有被锁定的账号。")
    }

    static func lapsedEnrolments(now: Int64, limit: Int, _ req: Request) async throws -> Section {
        let rows = try await PlainRows.all(AdminQueues.lapsedEnrolments(at: now, limit: limit), on: req.db)
        let items = try rows.map { row in
            Item(
                title: "重新签发动态口令绑定激活码 \(try row.text(1))(\(try row.text(2)))", detail: "激活码过期未用,本人无法登录",
                href: "/admin/users/\(try row.uuid(0).uuidString)", when: "已于 " + LoginFlow.beijing(try row.int64(3)))
        }
        return Section(
            id: "queue-enrolment", heading: "动态口令待重新绑定的账号", basis: "双因素认证(GB/T 22239-2019 8.1.4.1 d))",
            count: shown(try await count(AdminQueues.lapsedEnrolmentCount(at: now), req)), items: items, hasItems: !items.isEmpty,
            empty: "没有动态口令绑定激活码过期的账号。")
    }

    static func activations(_ actor: Actor, lapsed: Bool, now: Int64, limit: Int, _ req: Request) async throws -> Section {
        let query = AdminQueues.awaitingActivation(proposedBy: actor.userId, lapsed: lapsed, at: now, limit: limit)
        let items = try await PlainRows.all(query, on: req.db).map { row in
            let who = "\(try row.text(1))(\(try row.text(2)))"
            return Item(
                title: lapsed ? "停用未能激活的账号 \(who)" : "将激活码前半部分当面交给 \(who) 本人",
                detail: lapsed ? "激活码已过期未用,账号无法激活;停用后另行提出申请" : "后半部分由批准的安全管理员交付,本人接上两部分激活",
                href: "/admin/users/\(try row.uuid(0).uuidString)",
                when: (lapsed ? "已于 " : "有效至 ") + LoginFlow.beijing(try row.int64(3)))
        }
        let total = try await count(AdminQueues.awaitingActivationCount(proposedBy: actor.userId, lapsed: lapsed, at: now), req)
        return lapsed
            ? Section(
                id: "queue-lapsed", heading: "激活码已过期的账号", basis: "激活码72小时内有效,只能使用一次", count: shown(total), items: items,
                hasItems: !items.isEmpty, empty: "没有激活码过期而未激活的账号。")
            : Section(
                id: "queue-activation", heading: "已批准、待本人激活的账号", basis: "激活码分两半交付,任何一名管理员不能独自激活(GB/T 22239-2019 8.1.4.4)",
                count: shown(total), items: items, hasItems: !items.isEmpty, empty: "没有待激活的账号。")
    }

    static func rejected(_ actor: Actor, now: Int64, limit: Int, _ req: Request) async throws -> Section {
        let since = now - AdminQueues.rejectedShownSeconds
        let rows = try await PlainRows.all(AdminQueues.rejectedProposals(by: actor.userId, since: since, limit: limit), on: req.db)
        let items = try rows.map { row in
            Item(
                title: "核对被驳回的申请 \(try row.text(1))(\(try row.text(2)))", detail: "\(roleTitles(try row.text(3)));如仍需要,修改后重新提出",
                href: "/admin/proposals/\(try row.uuid(0).uuidString)", when: "驳回于 " + LoginFlow.beijing(try row.optionalInt64(5) ?? 0))
        }
        return Section(
            id: "queue-rejected", heading: "近30天被驳回的申请", basis: "安全管理员驳回的新建账号申请",
            count: shown(try await count(AdminQueues.rejectedCount(by: actor.userId, since: since), req)),
            items: items, hasItems: !items.isEmpty, empty: "近30天没有被驳回的申请。")
    }
}
