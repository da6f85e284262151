import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// 查重 in the review and at declaration (R-REV-3, 第七条 集约性, 第二十七条): BDB's 集约性 finding names
/// the similar projects it considered; a 涉密 match is acknowledged, never named; the project page
/// shows the matches side by side, and warns the unit before it declares.
@Suite("查重 in the review and at declaration")
struct ReviewSimilarityTests {
    typealias S = SimilarProjectsTests
    static let hostileName = "郑州市交通信号智能控制平台<script>alert(\"zx\")</script>"

    /// 绩效目标 (R-GOAL-1) as a declaration carries them.
    static var indicators: [[String: Any]] {
        [
            ["name": "接入路口数", "category": "quantity", "comparison": "atLeast", "target": "3000", "unit": "个"],
            ["name": "通行时间缩短", "category": "social", "comparison": "atLeast", "target": "15", "unit": "%"],
            ["name": "市民满意度", "category": "serviceSatisfaction", "comparison": "atLeast", "target": "90", "unit": "%"],
        ]
    }

    static func create(_ world: TestWorld, as unit: String, name: String, content: String, goals: String, classified: Bool = false)
        async throws -> S.Created
    {
        let reply = try await world.call(
            .POST, "/api/v1/projects", as: unit,
            json: Walk.draft(
                name: name, yuan: 2_000_000,
                extra: ["content": content, "goals": goals, "classified": classified, "performanceIndicators": indicators]))
        #expect(reply.status == .created, "create \(name): \(reply.status) \(reply.violations)")
        return S.Created(id: reply.project["id"] as? String ?? "", code: reply.project["code"] as? String ?? "")
    }

    /// The query project (unitB's), declared and in BDB's technical review, and the others.
    static func underReview(_ world: TestWorld, duplicateName: String = S.duplicate.name, secret: Bool = false) async throws
        -> (query: S.Created, duplicate: S.Created)
    {
        let q = try await create(world, as: "unitB", name: S.query.name, content: S.query.content, goals: S.query.goals)
        let d = try await create(
            world, as: "unitA", name: secret ? S.secretName : duplicateName, content: S.duplicate.content, goals: S.duplicate.goals,
            classified: secret)
        for u in S.unrelated { _ = try await create(world, as: u.unit, name: u.name, content: u.content, goals: u.goals) }
        try await world.must(q.id, "declare", as: "unitB")
        try await world.must(q.id, "start-technical-review", as: "bdb")
        return (q, d)
    }

    static func opinion(considered: [String]? = nil, restricted: Bool? = nil, assessment: String? = nil) -> [String: Any] {
        let findings = Walk.findings.map { f -> [String: Any] in
            guard f["criterion"] as? String == "intensiveness" else { return f }
            var f = f
            if let considered { f["consideredProjects"] = considered }
            if let restricted { f["restrictedConsidered"] = restricted }
            if let assessment { f["duplicateAssessment"] = assessment }
            return f
        }
        return ["findings": findings, "conclusion": "pass", "comment": "同意"]
    }

    /// The one refusal for a listed id no opinion may name (unknown, hidden or 涉密 alike).
    static func notListable(_ k: Int) -> String {
        "「集约性」所列第\(k)个项目不能列入审查意见(不存在、无权查看或为受限项目),如相似项目为受限项目,请改为确认已考虑受限项目"
    }

    /// The ids BDB sees among the matches (the restricted ones have none).
    static func shownIds(_ world: TestWorld, _ id: String) async throws -> [String] {
        S.matches(try await world.call(.GET, "/api/v1/projects/\(id)/similar", as: "bdb")).compactMap { $0["projectId"] as? String }
    }

    @Test(
        "R-REV-3: a likely duplicate not considered is refused (422, rule and article); named with a reason, accepted",
        arguments: Backend.all)
    func duplicateMustBeConsidered(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let (q, d) = try await Self.underReview(world)
            let refused = try await world.act(q.id, "issue-review-opinion", as: "bdb", Self.opinion())
            #expect(refused.status == .unprocessableEntity)
            #expect((refused.object["error"] as? [String: Any])?["code"] as? String == "RULE_VIOLATION")
            let missing = refused.violations.filter { ($0["message"] as? String ?? "").contains(d.code) }
            #expect(missing.count == 1, "\(refused.violations)")
            #expect(missing.first?["rule"] as? String == "R-REV-3" && missing.first?["article"] as? String == "第七条")
            #expect((missing.first?["message"] as? String ?? "").contains("疑似重复"))
            #expect(refused.violations.contains { $0["field"] as? String == "findings[4].duplicateAssessment" })
            #expect(refused.violations.allSatisfy { $0["rule"] as? String == "R-REV-3" })

            // Every match named but no reason: refused on the reason alone.
            let shown = try await Self.shownIds(world, q.id)
            #expect(shown.first == d.id)
            let noReason = try await world.act(q.id, "issue-review-opinion", as: "bdb", Self.opinion(considered: shown))
            #expect(noReason.violations.map { $0["field"] as? String } == ["findings[4].duplicateAssessment"])
            // An id that is no project: refused by position, the id not echoed.
            let ghost = UUID().uuidString
            let unknown = try await world.act(
                q.id, "issue-review-opinion", as: "bdb", Self.opinion(considered: shown + [ghost], assessment: "不重复"))
            #expect(unknown.violations.map { $0["message"] as? String } == [Self.notListable(shown.count + 1)])
            #expect(!String(buffer: unknown.raw).contains(ghost))
            #expect(try await world.call(.GET, "/api/v1/projects/\(q.id)", as: "bdb").stage == "tech_review")

            let accepted = try await world.act(
                q.id, "issue-review-opinion", as: "bdb",
                Self.opinion(considered: shown, assessment: "已有信号控制平台覆盖主城区,本项目为其扩容,不重复建设"))
            #expect(accepted.status == .ok, "\(accepted.violations)")
            #expect(accepted.stage == "pending_government")
            let opinion = (accepted.project["reviewOpinions"] as? [[String: Any]])?.last
            let finding = (opinion?["findings"] as? [[String: Any]])?.first { $0["criterion"] as? String == "intensiveness" }
            #expect((finding?["consideredProjects"] as? [String])?.map { $0.uppercased() } == shown.map { $0.uppercased() })
            #expect(finding?["duplicateAssessment"] as? String == "已有信号控制平台覆盖主城区,本项目为其扩容,不重复建设")
        }
    }

    @Test("第十七条: a 涉密 match is acknowledged as 受限项目 and never named in any answer, refusal or page", arguments: Backend.all)
    func restrictedMatchNeverNamed(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let (q, s) = try await Self.underReview(world, secret: true)
            let secrets = [s.id, s.id.lowercased(), s.code, S.secretName, "保密管控"]
            func leaks(_ text: String) -> [String] { secrets.filter { text.contains($0) } }

            let shown = try await Self.shownIds(world, q.id)
            #expect(!shown.contains { $0.uppercased() == s.id.uppercased() })
            let refused = try await world.act(q.id, "issue-review-opinion", as: "bdb", Self.opinion(considered: shown, assessment: "不重复"))
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.violations.map { $0["message"] as? String } == ["查重发现有受限项目相似,「集约性」审查结论须确认已考虑受限项目"])
            #expect(leaks(String(buffer: refused.raw)).isEmpty)
            // Naming the 涉密 project's id (learnt elsewhere) is answered as for an id that does not exist.
            let named = try await world.act(
                q.id, "issue-review-opinion", as: "bdb", Self.opinion(considered: shown + [s.id], restricted: true, assessment: "不重复"))
            let ghost = try await world.act(
                q.id, "issue-review-opinion", as: "bdb",
                Self.opinion(considered: shown + [UUID().uuidString], restricted: true, assessment: "不重复"))
            #expect(named.status == .unprocessableEntity)
            #expect(NSDictionary(dictionary: named.object).isEqual(to: ghost.object), "a hidden project answers as a ghost")
            #expect(leaks(String(buffer: named.raw)).isEmpty)
            // The page: a line 「有受限项目相似」, nothing of the project.
            let page = try await world.page("/projects/\(q.id)", session: world.tokens["bdb"])
            #expect(page.html.contains("有受限项目相似"))
            #expect(leaks(page.html).isEmpty, "\(leaks(page.html))")
            #expect(page.html.contains("已考虑查重发现的受限项目"))

            let accepted = try await world.act(
                q.id, "issue-review-opinion", as: "bdb", Self.opinion(considered: shown, restricted: true, assessment: "已考虑受限项目,不重复"))
            #expect(accepted.status == .ok, "\(accepted.violations)")
            #expect(leaks(String(buffer: accepted.raw)).isEmpty)
            let audit = try await world.call(.GET, "/api/v1/projects/\(q.id)/audit?perPage=100", as: "bdb")
            #expect(leaks(String(buffer: audit.raw)).isEmpty)
        }
    }

    @Test("a reviewer named on the 涉密 match sees it, but the opinion others read acknowledges it only as 受限项目", arguments: Backend.all)
    func namedReviewerStillAcknowledgesGenerically(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let (q, s) = try await Self.underReview(world, secret: true)
            try await world.must(s.id, "grant-classified-access", as: "unitA", ["userId": world.userIds["bdb"]!.uuidString])
            let secrets = [s.id, s.id.lowercased(), s.code, S.secretName, "保密管控"]
            func leaks(_ text: String) -> [String] { secrets.filter { text.contains($0) } }
            // Named on it, BDB sees it in full on the API and the page, but gets no checkbox for it.
            let similar = try await world.call(.GET, "/api/v1/projects/\(q.id)/similar", as: "bdb")
            #expect(S.matches(similar).contains { ($0["projectId"] as? String)?.uppercased() == s.id.uppercased() })
            let page = try await world.page("/projects/\(q.id)", session: world.tokens["bdb"])
            #expect(page.html.contains(S.secretName) && !page.html.contains("consideredProjects.\(s.id)"))
            #expect(page.html.contains("已考虑查重发现的受限项目"))

            let shown = try await Self.shownIds(world, q.id).filter { $0.uppercased() != s.id.uppercased() }
            let named = try await world.act(
                q.id, "issue-review-opinion", as: "bdb", Self.opinion(considered: shown + [s.id], restricted: true, assessment: "不重复"))
            #expect(named.violations.map { $0["message"] as? String } == [Self.notListable(shown.count + 1)])
            #expect(leaks(String(buffer: named.raw)).isEmpty)
            let bare = try await world.act(q.id, "issue-review-opinion", as: "bdb", Self.opinion(considered: shown, assessment: "不重复"))
            #expect(leaks(String(buffer: bare.raw)).isEmpty, "a refusal others read in the audit record")
            let accepted = try await world.act(
                q.id, "issue-review-opinion", as: "bdb", Self.opinion(considered: shown, restricted: true, assessment: "已考虑受限项目,不重复"))
            #expect(accepted.status == .ok, "\(accepted.violations)")
            let asUnit = try await world.call(.GET, "/api/v1/projects/\(q.id)", as: "unitB")
            #expect(leaks(String(buffer: asUnit.raw)).isEmpty)
            let audit = try await world.call(.GET, "/api/v1/projects/\(q.id)/audit?perPage=100", as: "drc")
            #expect(leaks(String(buffer: audit.raw)).isEmpty)
        }
    }

    @Test(
        "the review page: side by side with <mark> passages, links, a hostile name escaped; the form pre-lists the matches",
        arguments: Backend.all)
    func reviewPanel(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let (q, d) = try await Self.underReview(world, duplicateName: Self.hostileName)
            let page = try await world.page("/projects/\(q.id)", session: world.tokens["bdb"])
            #expect(page.status == .ok)
            let html = page.html
            #expect(html.contains("查重: 相似项目"))
            #expect(html.contains("<th scope=\"col\">本项目</th><th scope=\"col\">相似项目</th>"))
            #expect(html.contains("<mark>"), "no passage marked")
            #expect(html.contains("<mark>接入三千个路口的信号机</mark>") || html.contains("<mark>三千个路口的信号机"), "the shared run")
            #expect(html.contains("href=\"/projects/\(d.id)\""))
            #expect(html.contains("&lt;script&gt;alert(&quot;zx&quot;)&lt;/script&gt;") || html.contains("&lt;script&gt;alert("))
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("疑似重复") && html.contains("市卫生健康委"))
            // The 集约性 finding offers each match as a checkbox; the other findings do not.
            #expect(html.contains("name=\"findings.4.consideredProjects.\(d.id)\""))
            #expect(!html.contains("name=\"findings.0.consideredProjects"))
            #expect(html.contains("是否重复及理由"))

            // Through the form: without ticks refused with the rule on the page; ticked, done.
            var form: [(String, String)] = [("conclusion", "pass"), ("comment", "同意")]
            for (i, c) in ["necessity", "scaleRationality", "technicalAdvancement", "securityReliability", "intensiveness"].enumerated() {
                form += [("findings.\(i).criterion", c), ("findings.\(i).satisfied", "true"), ("findings.\(i).comment", "符合")]
            }
            let bare = try await ProjectPagesTests.post(world, "/projects/\(q.id)/actions/issue-review-opinion", as: "bdb", form)
            #expect(bare.status == .unprocessableEntity)
            #expect(bare.html.contains("R-REV-3") && bare.html.contains("第七条"))
            let shown = try await Self.shownIds(world, q.id)
            form += shown.map { ("findings.4.consideredProjects.\($0)", $0) }
            form.append(("findings.4.duplicateAssessment", "本项目为已有平台的县区延伸,不重复建设"))
            try await ProjectPagesTests.act(world, q.id, "issue-review-opinion", as: "bdb", form)
        }
    }

    @Test("the unit is warned before it declares, from the same ranking; a warning, not a block", arguments: Backend.all)
    func unitWarnedBeforeDeclaring(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let s = try await Self.create(
                world, as: "unitA", name: S.secretName, content: S.duplicate.content, goals: S.duplicate.goals, classified: true)
            let q = try await Self.create(world, as: "unitB", name: S.query.name, content: S.query.content, goals: S.query.goals)
            let page = try await world.page("/projects/\(q.id)?done=create", session: world.tokens["unitB"])
            #expect(page.html.contains("发现相似项目,请说明差异或依托已有系统"))
            #expect(page.html.contains("有受限项目相似"))
            #expect(!page.html.contains(S.secretName) && !page.html.contains(s.code) && !page.html.contains(s.id))
            // In the declaration form itself.
            let declare = try #require(page.html.range(of: "id=\"action-declare\""))
            #expect(page.html[declare.upperBound...].prefix(3000).contains("similar-warning"))
            try await world.must(q.id, "declare", as: "unitB")
            // Declared: the unit's page no longer warns; BDB's does not yet (review not started) but shows the panel.
            let after = try await world.page("/projects/\(q.id)", session: world.tokens["unitB"])
            #expect(!after.html.contains("similar-warning"))
            // A project without matches: no warning.
            let lone = try await Self.create(world, as: "unitB", name: "市档案馆数字档案馆", content: "档案数字化扫描与著录。", goals: "完成馆藏档案数字化。")
            let quiet = try await world.page("/projects/\(lone.id)", session: world.tokens["unitB"])
            #expect(quiet.html.contains("未发现相似项目") && !quiet.html.contains("similar-warning"))
        }
    }
}

extension ReviewSimilarityTests {
    @Test("OpenAPI: the 集约性 finding's 查重 fields are in the review opinion's payload")
    func openAPIFields() async throws {
        try await TestWorld.with(.sqlite) { world in
            let doc = try await world.call(.GET, "/api/v1/openapi.json", as: "bdb")
            let schemas = (doc.object["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let finding = (schemas?["CriterionFinding"] as? [String: Any])?["properties"] as? [String: Any] ?? [:]
            let ids = finding["consideredProjects"] as? [String: Any]
            #expect(ids?["type"] as? String == "array")
            #expect((ids?["items"] as? [String: Any])?["format"] as? String == "uuid")
            #expect((finding["restrictedConsidered"] as? [String: Any])?["type"] as? String == "boolean")
            #expect((finding["duplicateAssessment"] as? [String: Any])?["type"] as? String == "string")
            let required = (schemas?["CriterionFinding"] as? [String: Any])?["required"] as? [String] ?? []
            #expect(Set(required) == ["criterion", "satisfied", "comment"])
        }
    }
}
