import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// 催办 (第三十五条) and decisions reach people by mail: written in the action's transaction, to the
/// accounts that want it, as each wants it (立即 / 每日汇总 / 不发送), and delivered by the worker to
/// a real SMTP server on loopback.
@Suite("Urges, decisions and mail preferences")
struct UrgeMailTests {
    static let unitAddress = "li.na@wjw.zhengzhou.gov.cn"
    static let digestAddress = "wang.fang@wjw.zhengzhou.gov.cn"
    static let drcAddress = "zhao.lei@fgw.zhengzhou.gov.cn"

    static func rows(_ world: TestWorld, kind: String? = nil) async throws -> [MailOutboxModel] {
        var q = MailOutboxModel.query(on: world.app.db)
        if let kind { q = q.filter(\.$kind == kind) }
        return try await q.sort(\.$createdAt).all()
    }

    static func prefer(_ world: TestWorld, _ user: String, _ address: String?, _ delivery: String) async throws -> JSONReply {
        var body: [String: Any] = ["delivery": delivery]
        if let address { body["address"] = address }
        return try await world.call(.PUT, "/api/v1/me/mail", as: user, json: body)
    }

    @Test("a 催办 is mailed to the unit's accounts as each wants it; the answer to the urging agency", arguments: Backend.all)
    func urgeAndAnswer(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            #expect(try await Self.prefer(world, "unitA", Self.unitAddress, "immediate").status == .ok)
            #expect(try await Self.prefer(world, "unitA2", Self.digestAddress, "digest").status == .ok)
            #expect(try await Self.prefer(world, "unitB", "x@jyj.zhengzhou.gov.cn", "immediate").status == .ok)
            #expect(try await Self.prefer(world, "drc", Self.drcAddress, "immediate").status == .ok)
            let before = try await Self.rows(world).count

            let answerBy = world.clock.now.beijingDate.addingDays(7)
            let urged = try await world.must(
                w.projectId, "urge-unit", as: "drc", ["matter": "报送合同备案材料", "message": "请于一周内报送", "answerBy": answerBy.description])
            #expect((urged.object["summary"] as? String)?.contains("催办第1号") == true)
            let urges = try await Self.rows(world, kind: "urge")
            #expect(Set(urges.map(\.userId)) == [world.userIds["unitA"]!, world.userIds["unitA2"]!], "unitB sees nothing of it")
            let now = world.clock.now.secondsSinceEpoch
            let immediate = try #require(urges.first { !$0.digest })
            let digest = try #require(urges.first { $0.digest })
            #expect(immediate.nextAttemptAt == now && digest.nextAttemptAt == MailOutboxModel.digestTime(after: now))
            #expect(immediate.subject == "【政信】催办:全民健康信息平台")
            #expect(immediate.body.contains("请于一周内报送") && immediate.body.contains("答复期限:\(answerBy.chinese)"))
            #expect(immediate.body.contains("第三十五条(R-SUP-1)") && immediate.link.hasSuffix("/projects/\(w.projectId)#action-answer-urge"))

            // The unit's home page lists the urge to answer.
            let session = try await world.webLogin("unitA")
            #expect(try await world.page("/", session: session).html.contains("#action-answer-urge"))

            // A unit that does not own the project cannot answer; the owner answers once, and the DRC hears.
            #expect(try await world.act(w.projectId, "answer-urge", as: "unitB", ["urgeNumber": 1, "answer": "x"]).status == .notFound)
            try await world.must(w.projectId, "answer-urge", as: "unitA", ["urgeNumber": 1, "answer": "已于今日报送"])
            let answers = try await Self.rows(world, kind: "answer")
            #expect(answers.map(\.userId) == [world.userIds["drc"]!])
            #expect(answers.first?.body.contains("已于今日报送") == true && answers.first?.subject == "【政信】催办答复:全民健康信息平台")
            // Both sides read the urge and its answer on the project page.
            let drcPage = try await world.page("/projects/\(w.projectId)", session: try await world.webLogin("drc"))
            #expect(drcPage.html.contains("催办第1号") && drcPage.html.contains("请于一周内报送") && drcPage.html.contains("已于今日报送"))
            #expect(try await Self.rows(world).count == before + 3)

            // The worker: the immediate mails now, the digest only at 08:00 the next morning, in one message.
            let sink = try SMTPSink()
            defer { sink.stop() }
            let settings = MailOutboxTests.settings(sink.port)
            let sentNow = try await MailWorker.runOnce(world.app, settings: settings).sent
            #expect(sentNow >= 2 && !sink.files.isEmpty)
            #expect(try await Self.rows(world).filter { $0.digest && $0.status == "pending" }.count >= 1)
            world.clock.set(world.clock.now.beijingDate.addingDays(1))
            _ = try await MailWorker.runOnce(world.app, settings: settings)
            let mails = try sink.files.map(SMTPSink.decoded)
            let digests = mails.filter { $0.to == Self.digestAddress }
            #expect(digests.count == 1)
            #expect(digests.first?.subject.hasPrefix("【政信】每日提醒汇总(") == true)
            #expect(digests.first?.body.contains("请于一周内报送") == true)
            #expect(try await MailWorker.depth(on: world.app.db) == 0)
        }
    }

    @Test("a signed decision is mailed to the unit", arguments: Backend.all)
    func decisionMail(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            #expect(try await Self.prefer(world, "unitA", Self.unitAddress, "immediate").status == .ok)
            let w = try await RefusalTests.constructing(world)
            let decisions = try await Self.rows(world, kind: "decision")
            #expect(decisions.contains { $0.subject == "【政信】批复:全民健康信息平台" })
            #expect(decisions.contains { $0.subject == "【政信】资金计划:全民健康信息平台" })
            #expect(decisions.allSatisfy { $0.userId == world.userIds["unitA"] && $0.link.hasSuffix("/projects/\(w.projectId)") })
            #expect(decisions.contains { $0.body.contains("依据:") && $0.body.contains("第") })
        }
    }

    @Test("a 涉密 project's mail names nothing: not its name, code, id or the decision")
    func classifiedMailNamesNothing() {
        var record = ActionFormTests.project()
        record.classified = true
        let mail = ActionMail.content(
            action: "approve-document", title: "批复", before: record, record: record, summary: "批复全民健康信息平台",
            policy: .zhengzhou2020, base: "https://zx.example")
        #expect(mail.subject == "【政信】有一项涉密事项需要关注" && mail.link == "https://zx.example/")
        for secret in [record.name, record.code, record.id.uuidString, "批复"] {
            #expect(!mail.subject.contains(secret) && !mail.body.contains(secret), "\(secret)")
        }
    }

    @Test("every mailed decision names an action of the catalog")
    func decisionsAreActions() {
        for action in ActionMail.decisions.keys { #expect(Lifecycle.rule(named: action) != nil, "\(action)") }
    }

    @Test(
        "preferences: a bad address or none with mail on is refused and changes nothing; off removes it; audited without the address",
        arguments: Backend.all)
    func preferences(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            #expect(try await world.call(.GET, "/api/v1/me/mail", as: "unitA").object["delivery"] as? String == "off")
            let bad = try await Self.prefer(world, "unitA", "li.na@wjw\r\nBcc: x@y.cn", "immediate")
            #expect(bad.status == .badRequest && bad.violations.first?["field"] as? String == "address")
            let none = try await Self.prefer(world, "unitA", nil, "digest")
            #expect(none.status == .badRequest && none.violations.first?["field"] as? String == "address")
            let weird = try await world.call(
                .PUT, "/api/v1/me/mail", as: "unitA", json: ["address": Self.unitAddress, "delivery": "hourly"])
            #expect(weird.status == .badRequest)
            #expect(try await MailAddressModel.query(on: world.app.db).count() == 0)

            #expect(try await Self.prefer(world, "unitA", Self.unitAddress, "digest").status == .ok)
            let mine = try await world.call(.GET, "/api/v1/me/mail", as: "unitA")
            #expect(mine.object["address"] as? String == Self.unitAddress && mine.object["delivery"] as? String == "digest")
            #expect(try await world.call(.GET, "/api/v1/me/mail", as: "unitA2").object["address"] == nil)
            #expect(try await Self.prefer(world, "unitA", nil, "off").status == .ok)
            #expect(try await MailAddresses.address(of: world.userIds["unitA"]!, on: world.app.db) == nil)
            let entries = try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "mail-preference").all()
            #expect(entries.count == 2 && entries.allSatisfy { !$0.summary.contains(Self.unitAddress) })
            // 三权分立: an administrator has no business mail.
            #expect(try await world.call(.GET, "/api/v1/me/mail", as: "adminSys").status == .forbidden)
        }
    }

    @Test("the account page sets the address and the delivery", arguments: Backend.all)
    func accountPage(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let session = try await world.webLogin("unitA")
            let form = try await world.page("/account/mail", session: session)
            #expect(form.status == .ok && form.html.contains("每日汇总"))
            let bad = try await world.page(
                .POST, "/account/mail", session: session,
                form: [("_csrf", try #require(form.csrf)), ("address", "not-an-address"), ("delivery", "immediate")])
            #expect(bad.status == .badRequest && bad.html.contains("邮件地址格式不正确"))
            let saved = try await world.page(
                .POST, "/account/mail", session: session,
                form: [("_csrf", try #require(form.csrf)), ("address", Self.unitAddress), ("delivery", "digest")])
            #expect(saved.status == .ok && saved.html.contains("邮件提醒设置已保存") && saved.html.contains(Self.unitAddress))
            #expect(try await MailAddressModel.find(world.userIds["unitA"]!, on: world.app.db)?.delivery == "digest")
        }
    }

    @Test("the digest goes out at 08:00 Beijing time, the first after the moment")
    func digestTime() {
        let morning = Instant(beijing: CivilDate(2027, 3, 1), hour: 8).secondsSinceEpoch
        #expect(MailOutboxModel.digestTime(after: morning - 1) == morning)
        #expect(MailOutboxModel.digestTime(after: morning) == morning + 86_400)
        #expect(MailOutboxModel.digestTime(after: morning + 15 * 3600) == morning + 86_400)
    }
}
