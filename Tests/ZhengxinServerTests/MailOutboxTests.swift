import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// 邮件提醒: reminders and overdue marks mailed through the outbox to a real SMTP server on loopback.
@Suite("Mail outbox")
struct MailOutboxTests {
    static let address = "zhang.wei@wjw.zhengzhou.gov.cn"
    static let secretName = "涉密-郑州指挥调度-甲乙丙丁"

    static func settings(_ port: Int) -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: port, from: "zhengxin@zhengzhou.gov.cn", username: "zx", password: "pw", timeoutSeconds: 10)
    }

    static func rows(_ world: TestWorld) async throws -> [MailOutboxModel] {
        try await MailOutboxModel.query(on: world.app.db).sort(\.$createdAt).all()
    }

    /// A declaration-window reminder for unitA's draft (the scan on 10 June raises one), unitA's
    /// address set first; unitA2 and unitB have none.
    static func remindedDraft(_ world: TestWorld, name: String = "全民健康信息平台", classified: Bool = false) async throws -> String {
        try await MailAddresses.set(address, for: world.userIds["unitA"]!, at: 0, on: world.app.db)
        var draft = Walk(world)
        try await draft.create(Walk.draft(name: name, yuan: 1_000_000, planYear: 2027, extra: classified ? ["classified": true] : [:]))
        #expect(try await DeadlineScanner.run(world.app).raised == 1)
        return draft.projectId
    }

    @Test("a reminder writes one outbox row, which the worker delivers once, decoded intact", arguments: Backend.all)
    func delivered(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 6, 10)) { world in
            let projectId = try await Self.remindedDraft(world)
            let rows = try await Self.rows(world)
            #expect(rows.count == 1)
            #expect(rows.first?.userId == world.userIds["unitA"])
            #expect(rows.first.map { AtRest.isSealed($0.addressSealed) } == true, "the address rests sealed")
            #expect(try await DeadlineScanner.run(world.app, full: true).raised == 0)
            #expect(try await Self.rows(world).count == 1, "a reminder raised once is mailed once")

            let sink = try SMTPSink()
            defer { sink.stop() }
            #expect(try await MailWorker.runOnce(world.app, settings: Self.settings(sink.port)) == .init(sent: 1))
            #expect(try await MailWorker.runOnce(world.app, settings: Self.settings(sink.port)) == .init())
            #expect(sink.files.count == 1)
            let mail = try SMTPSink.decoded(try #require(sink.files.first))
            #expect(mail.subject == "【政信】期限提醒:年度申报截止(全民健康信息平台)")
            #expect(mail.to == Self.address)
            #expect(mail.contentType == "text/plain;utf-8")
            #expect(mail.messageId == MailOutboxModel.messageId(try rows[0].requireID()))
            #expect(mail.body.contains("/projects/\(projectId)"))
            #expect(mail.body.contains("2027年度项目须于"))
            #expect(mail.body.contains("依据:《郑州市政务信息化项目建设管理暂行办法》(郑政文〔2020〕70号)第七条"))
            let envelope = try String(contentsOfFile: sink.files[0].replacingOccurrences(of: ".eml", with: ".env"), encoding: .utf8)
            #expect(envelope.contains("RCPT TO:<\(Self.address)>"))
            #expect(envelope.contains("AUTH PLAIN login=zx password=pw"))
            let sent = try #require(try await Self.rows(world).first)
            #expect(sent.status == "sent" && sent.attempts == 1 && sent.sentAt != nil && sent.lastError == nil)
            #expect(try await MailWorker.depth(on: world.app.db) == 0)
        }
    }

    @Test("mail is written in the event's transaction: a rolled-back event leaves none", arguments: Backend.all)
    func rolledBack(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 6, 10)) { world in
            _ = try await Self.remindedDraft(world)
            let reminder = try #require(try await ReminderModel.query(on: world.app.db).first())
            struct Abandoned: Error {}
            await #expect(throws: Abandoned.self) {
                try await world.app.writeTransaction { db in
                    try await ReminderMail.enqueue([reminder], base: "", at: 1, on: db)
                    #expect(try await MailOutboxModel.query(on: db).count() == 2, "visible inside the transaction")
                    throw Abandoned()
                }
            }
            #expect(try await Self.rows(world).count == 1)
        }
    }

    @Test("server down: one attempt counted, retried later; server up: delivered once", arguments: Backend.all)
    func retried(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 6, 10)) { world in
            _ = try await Self.remindedDraft(world)
            let first = try SMTPSink()
            let port = first.port
            let directory = first.directory
            first.stop()
            #expect(try await MailWorker.runOnce(world.app, settings: Self.settings(port)) == .init(retried: 1))
            let waiting = try #require(try await Self.rows(world).first)
            #expect(waiting.status == "pending" && waiting.attempts == 1 && waiting.sentAt == nil)
            #expect(waiting.nextAttemptAt > world.clock.now.secondsSinceEpoch)
            #expect(waiting.lastError?.isEmpty == false)
            #expect(try await MailWorker.runOnce(world.app, settings: Self.settings(port)) == .init(), "not due yet")

            let sink = try SMTPSink(port: port, directory: directory)
            defer { sink.stop() }
            world.clock.set(world.clock.now.beijingDate.addingDays(1))
            #expect(try await MailWorker.runOnce(world.app, settings: Self.settings(port)) == .init(sent: 1))
            #expect(try await MailWorker.runOnce(world.app, settings: Self.settings(port)) == .init())
            #expect(sink.files.count == 1)
            let sent = try #require(try await Self.rows(world).first)
            #expect(sent.status == "sent" && sent.attempts == 2)
        }
    }

    @Test("two workers at once, as two servers run them: every row is sent exactly once", arguments: Backend.all)
    func twoWorkers(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 6, 10)) { world in
            let business = TestWorld.accounts.filter { !$0.roles.contains(where: \.isAdministrator) }.map(\.username)
            for user in business { try await MailAddresses.set(Self.address, for: world.userIds[user]!, at: 0, on: world.app.db) }
            let recipients = try await MailAddresses.recipients(userIds: business.map { world.userIds[$0]! }, on: world.app.db)
            let now = world.clock.now.secondsSinceEpoch
            for n in 1...8 {
                let mail = MailContent(subject: "【政信】并发测试\(n)", body: "第\(n)封", link: "/")
                try await BatchInsert.create(MailOutboxModel.rows(mail, kind: "reminder", for: recipients, at: now), on: world.app.db)
            }
            let total = try await MailWorker.depth(on: world.app.db)
            #expect(total == 8 * recipients.count && total > MailWorker.batch, "more rows than one worker claims at once")
            let sink = try SMTPSink()
            defer { sink.stop() }
            let settings = Self.settings(sink.port)
            var sent = 0
            while try await MailWorker.depth(on: world.app.db) > 0 {
                async let first = MailWorker.runOnce(world.app, settings: settings)
                async let second = MailWorker.runOnce(world.app, settings: settings)
                let (a, b) = try await (first, second)
                #expect(a.retried + a.failed + b.retried + b.failed == 0)
                guard a.sent + b.sent > 0 else { break }
                sent += a.sent + b.sent
            }
            #expect(sent == total)
            // The Message-ID header of each received file (decoding each through Python would take a process per file).
            let ids = try sink.files.map { file in
                try String(contentsOfFile: file, encoding: .utf8).split(separator: "\r\n").first { $0.hasPrefix("Message-ID: ") } ?? ""
            }
            #expect(ids.count == total && Set(ids).count == total, "no message twice")
            #expect(try await MailOutboxModel.query(on: world.app.db).all().allSatisfy { $0.status == "sent" && $0.attempts == 1 })
        }
    }

    @Test("setting an address is one audited write that names the account, not the address", arguments: Backend.all)
    func recordedAddress(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            await #expect(throws: InvalidMailAddress.self) {
                try await MailAddresses.setRecorded("a@b.cn\r\nBcc: x@y.cn", username: "unitA2", app: world.app)
            }
            try await MailAddresses.setRecorded(Self.address, username: "unitA2", app: world.app)
            #expect(try await MailAddresses.address(of: world.userIds["unitA2"]!, on: world.app.db) == Self.address)
            let entries = try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "mail-address").all()
            #expect(entries.count == 1)
            #expect(entries.allSatisfy { $0.summary.contains("unitA2") && !$0.summary.contains(Self.address) })
            try await MailAddresses.setRecorded(nil, username: "unitA2", app: world.app)
            #expect(try await MailAddresses.address(of: world.userIds["unitA2"]!, on: world.app.db) == nil)
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
        }
    }

    @Test("back-off doubles from one minute and stops at six hours")
    func backoff() {
        #expect((1...10).map { MailWorker.backoffSeconds(afterAttempt: $0) } == [60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600])
        #expect(MailWorker.backoffSeconds(afterAttempt: 100) == 21600)
    }

    @Test("a line break in an address or header is refused; one in the subject stays inside it", arguments: Backend.all)
    func headerInjection(_ backend: Backend) async throws {
        for hostile in ["a@b.cn\r\nBcc: evil@x.cn", "a@b.cn>\r\nRCPT TO:<evil@x.cn", "a b@c.cn", "noat", "a@localhost"] {
            #expect(throws: InvalidMailAddress.self) { try MailAddresses.validated(hostile) }
        }
        let message = SMTPMessage(
            from: "z@z.cn", to: "a@b.cn\r\nBcc: evil@x.cn", subject: "s", body: "b", messageId: "<1@z>",
            date: Date(timeIntervalSince1970: 0))
        #expect(throws: UnsafeHeaderValue.self) { try message.rendered() }
        var subject = message
        subject.to = "a@b.cn"
        subject.subject = "提醒\r\nBcc: evil@x.cn"
        let text = try subject.rendered()
        #expect(!text.split(separator: "\r\n").contains { $0.hasPrefix("Bcc") })

        try await TestWorld.with(backend, at: CivilDate(2026, 6, 10)) { world in
            _ = try await Self.remindedDraft(world)
            // An address that got past the check some other way (written straight to the table the
            // worker reads it from when it sends).
            let stored = try #require(try await MailAddressModel.find(world.userIds["unitA"]!, on: world.app.db))
            stored.addressSealed = try AtRest.seal("a@b.cn\r\nBcc: evil@x.cn")
            try await stored.save(on: world.app.db)
            let sink = try SMTPSink()
            defer { sink.stop() }
            #expect(try await MailWorker.runOnce(world.app, settings: Self.settings(sink.port)) == .init(failed: 1))
            #expect(sink.files.isEmpty)
            #expect(try await Self.rows(world).first?.status == "failed")
        }
    }

    @Test("a 涉密 project's mail names nothing: not the project, its id, code or matter", arguments: Backend.all)
    func classified(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 6, 10)) { world in
            let projectId = try await Self.remindedDraft(world, name: Self.secretName, classified: true)
            let code = try #require(try await ProjectRow.find(UUID(uuidString: projectId)!, on: world.app.db)).code
            let row = try #require(try await Self.rows(world).first)
            let sink = try SMTPSink()
            defer { sink.stop() }
            #expect(try await MailWorker.runOnce(world.app, settings: Self.settings(sink.port)) == .init(sent: 1))
            let raw = try String(contentsOfFile: try #require(sink.files.first), encoding: .utf8)
            let mail = try SMTPSink.decoded(sink.files[0])
            #expect(mail.subject == "【政信】有一项涉密事项需要关注")
            #expect(mail.body.contains("涉密事项") && mail.body.contains("/"))
            for text in [mail.subject, mail.body, raw, row.subject, row.body, row.link] {
                for secret in [Self.secretName, projectId, projectId.lowercased(), code, "年度申报"] {
                    #expect(!text.contains(secret), "\(secret) in \(text)")
                }
            }
        }
    }
}
