import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Who mail reaches and when it is not sent: a 涉密 project's only to the accounts named on it,
/// never to an administrator, to the recipient's address as it is at sending time, never by two
/// workers, a digest whole.
@Suite("Mail recipients and claims")
struct MailRecipientsTests {
    static func rows(_ world: TestWorld) async throws -> [MailOutboxModel] {
        try await MailOutboxModel.query(on: world.app.db).sort(\.$createdAt).all()
    }

    @Test("a 涉密 project's mail reaches only the accounts named on it", arguments: Backend.all)
    func classifiedNamedOnly(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            for user in ["unitA", "unitA2"] {
                try await MailAddresses.set("\(user.lowercased())@wjw.zhengzhou.gov.cn", for: world.userIds[user]!, at: 0, on: world.app.db)
            }
            _ = try await ClassifiedProjectInputsTests.secretInReserve(world)
            let mails = try await Self.rows(world)
            #expect(!mails.isEmpty, "the review opinion is mailed to the unit")
            #expect(mails.allSatisfy { $0.userId == world.userIds["unitA"] }, "unitA2 is not named on it")
        }
    }

    @Test("administrators get no business mail, whatever address they once set; the CLI refuses one", arguments: [Backend.sqlite])
    func noAdministrators(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            for user in ["adminSys", "bdb"] {
                try await MailAddresses.set("\(user.lowercased())@dsj.zhengzhou.gov.cn", for: world.userIds[user]!, at: 0, on: world.app.db)
            }
            try await world.must(w.projectId, "urge-unit", as: "bdb", ["matter": "报送等保测评报告", "message": "请报送"])
            try await world.must(w.projectId, "answer-urge", as: "unitA", ["urgeNumber": 1, "answer": "已报送"])
            let answers = try await Self.rows(world).filter { $0.kind == "answer" }
            #expect(answers.map(\.userId) == [world.userIds["bdb"]!])
            await #expect(throws: Abort.self) {
                try await MailAddresses.setRecorded("admin@dsj.zhengzhou.gov.cn", username: "adminSec", app: world.app)
            }
        }
    }

    @Test(
        "sending reads the recipient now: a new address is used, 不发送 cancels, a claim another worker took is left to it",
        arguments: Backend.all)
    func sendTimeChecks(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 6, 10)) { world in
            _ = try await MailOutboxTests.remindedDraft(world)
            let unitA = world.userIds["unitA"]!
            try await MailAddresses.set("new.li@wjw.zhengzhou.gov.cn", for: unitA, at: 1, on: world.app.db)
            let sink = try SMTPSink()
            defer { sink.stop() }
            let settings = MailOutboxTests.settings(sink.port)
            #expect(try await MailWorker.runOnce(world.app, settings: settings).sent == 1)
            #expect(try SMTPSink.decoded(try #require(sink.files.first)).to == "new.li@wjw.zhengzhou.gov.cn")

            // A claim that lapsed and was taken by another worker: the first may no longer send or mark.
            let mail = MailContent(subject: "【政信】测试", body: "正文", link: "/")
            let recipient = try #require(try await MailAddresses.recipients(userIds: [unitA], on: world.app.db).first)
            try await BatchInsert.create(
                MailOutboxModel.rows(mail, kind: "reminder", for: [recipient], at: world.clock.now.secondsSinceEpoch), on: world.app.db)
            let first = try await MailWorker.claim(world.app, token: "first")
            let ids = try first.map { try $0.requireID() }
            #expect(ids.count == 1)
            // The test day starts at 10:00; the lease is 600 s.
            world.clock.set(world.clock.now.beijingDate, hour: 10, minute: 10, second: 1)
            #expect(try await MailWorker.runOnce(world.app, settings: settings).sent == 1, "the second worker takes the lapsed row")
            #expect(try await MailWorker.renew(world.app, ids: ids, userId: unitA, token: "first") == .lost)
            #expect(sink.files.count == 2)

            // 不发送: what waits is cancelled, not sent.
            try await BatchInsert.create(
                MailOutboxModel.rows(mail, kind: "reminder", for: [recipient], at: world.clock.now.secondsSinceEpoch), on: world.app.db)
            try await MailAddresses.set(nil, for: unitA, at: 2, on: world.app.db)
            #expect(try await MailWorker.runOnce(world.app, settings: settings) == .init(cancelled: 1))
            #expect(sink.files.count == 2)
            #expect(try await Self.rows(world).filter { $0.status == "cancelled" }.count == 1)
        }
    }

    @Test("a recipient's digest goes out whole, however many rows are due at 08:00", arguments: Backend.all)
    func digestWhole(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 6, 10)) { world in
            let unitA = world.userIds["unitA"]!
            try await MailAddresses.set("li.na@wjw.zhengzhou.gov.cn", delivery: .digest, for: unitA, at: 0, on: world.app.db)
            let recipient = try #require(try await MailAddresses.recipients(userIds: [unitA], on: world.app.db).first)
            let now = world.clock.now.secondsSinceEpoch
            for n in 1...(MailWorker.batch + 10) {
                let mail = MailContent(subject: "【政信】事项\(n)", body: "第\(n)项", link: "/")
                try await BatchInsert.create(MailOutboxModel.rows(mail, kind: "reminder", for: [recipient], at: now), on: world.app.db)
            }
            let sink = try SMTPSink()
            defer { sink.stop() }
            world.clock.set(world.clock.now.beijingDate.addingDays(1))
            #expect(try await MailWorker.runOnce(world.app, settings: MailOutboxTests.settings(sink.port)).sent == 1)
            let digest = try SMTPSink.decoded(try #require(sink.files.first))
            #expect(sink.files.count == 1 && digest.subject.contains("\(MailWorker.batch + 10)项"))
            #expect(try await MailWorker.depth(on: world.app.db) == 0)
        }
    }

    @Test("a relay's permanent refusal (501, 550–554) is not retried; a timeout or 4xx is")
    func permanentRefusal() {
        for code in [501, 550, 551, 552, 553, 554] { #expect(SMTPError(step: "s", reply: "r", code: code).isPermanent, "\(code)") }
        for code in [0, 421, 450, 451, 452, 500, 535, 555] { #expect(!SMTPError(step: "s", reply: "r", code: code).isPermanent, "\(code)") }
    }
}
