import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// 查重 through the API (R-REV-3, 第七条 集约性, 第二十七条): city-wide, with 涉密 matches undisclosed.
@Suite("Similar projects (查重) through the API")
struct SimilarProjectsTests {
    static let query = (
        name: "郑州市智慧交通信号控制平台",
        content: "建设全市路口交通信号灯的集中控制系统,接入三千个路口的信号机,根据实时车流自适应调整配时,实现干线绿波协调和特勤车辆优先通行。",
        goals: "主干道平均通行时间缩短百分之十五,路口信号机联网率达到百分之九十五。"
    )
    static let duplicate = (
        name: "郑州市交通信号智能控制平台",
        content: "建设全市路口信号灯集中控制系统,接入三千个路口的信号机,依据实时车流自适应调整配时方案,实现干线绿波协调与特勤车辆优先通行。",
        goals: "主干道平均通行时间缩短百分之十五,信号机联网率达到百分之九十五。"
    )
    static let secretName = "郑州市交通信号保密管控平台"
    static let unrelated: [(unit: String, name: String, content: String, goals: String)] = [
        ("unitA", "全民健康信息平台", "建设居民电子健康档案和电子病历共享库,连接全市二级以上医院的诊疗数据,提供预约挂号和检验结果互认。", "二级以上医院接入率百分之百,检验结果互认项目五十项。"),
        ("unitB", "郑州市智慧教育云平台", "建设中小学课堂教学资源库和在线作业系统,为全市教师提供备课工具,为学生提供个性化学习推荐。", "覆盖全市中小学一千所,教师使用率百分之八十。"),
        ("unitA", "市场监管执法办案系统", "建设行政处罚案件网上办理系统,实现立案、调查、审核、决定全流程在线流转和文书电子签章。", "案件网上办理率百分之百,平均办案时长缩短三成。"),
    ]

    struct Created { var id: String; var code: String }

    static func create(_ world: TestWorld, as unit: String, name: String, content: String, goals: String, classified: Bool = false)
        async throws -> Created
    {
        let reply = try await world.call(
            .POST, "/api/v1/projects", as: unit,
            json: Walk.draft(name: name, yuan: 2_000_000, extra: ["content": content, "goals": goals, "classified": classified]))
        #expect(reply.status == .created, "create \(name): \(reply.status) \(reply.violations)")
        return Created(id: reply.project["id"] as? String ?? "", code: reply.project["code"] as? String ?? "")
    }

    static func matches(_ reply: JSONReply) -> [[String: Any]] { reply["matches"] as? [[String: Any]] ?? [] }

    @Test("R-REV-3: the rephrased duplicate first as likelyDuplicate; unrelated ones absent or similar", arguments: Backend.all)
    func duplicateFirst(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let q = try await Self.create(world, as: "unitB", name: Self.query.name, content: Self.query.content, goals: Self.query.goals)
            let d = try await Self.create(
                world, as: "unitA", name: Self.duplicate.name, content: Self.duplicate.content, goals: Self.duplicate.goals)
            var others: [String] = []
            for u in Self.unrelated {
                others.append(try await Self.create(world, as: u.unit, name: u.name, content: u.content, goals: u.goals).id)
            }

            // unitB, the query's unit, sees unitA's ordinary duplicate: the review is city-wide.
            let reply = try await world.call(.GET, "/api/v1/projects/\(q.id)/similar", as: "unitB")
            #expect(reply.status == .ok)
            let found = Self.matches(reply)
            let first = try #require(found.first, "no match at all")
            #expect(first["projectId"] as? String == d.id)
            #expect(first["code"] as? String == d.code)
            #expect(first["name"] as? String == Self.duplicate.name)
            #expect(first["unitName"] as? String == "市卫生健康委")
            #expect(first["verdict"] as? String == "likelyDuplicate")
            let score = try #require(first["score"] as? Double)
            #expect(score >= SimilarityVerdict.likelyDuplicateThreshold && score <= 1)
            #expect(score == (score * 1000).rounded() / 1000, "three decimals: \(score)")
            let passages = first["passages"] as? [[String: Any]] ?? []
            #expect(passages.contains { $0["field"] as? String == "content" && ($0["text"] as? String ?? "").count >= 4 })
            // Only the listed fields of another unit's project: no investment, content or record.
            #expect(
                Set(first.keys).isSubset(of: ["projectId", "code", "name", "unitName", "stage", "planYear", "score", "verdict", "passages"])
            )
            for m in found where others.contains(m["projectId"] as? String ?? "") {
                #expect(m["verdict"] as? String == "similar", "unrelated \(m["name"] ?? "") as \(m["verdict"] ?? "")")
            }
            #expect(!found.contains { $0["projectId"] as? String == q.id }, "the project itself is no match")
            print("查重 \(backend): " + found.map { "\($0["name"] as? String ?? "restricted") \($0["score"] ?? "")" }.joined(separator: "; "))

            // Both ways: the duplicate's own unit finds the query project.
            let back = Self.matches(try await world.call(.GET, "/api/v1/projects/\(d.id)/similar", as: "unitA"))
            #expect(back.first?["projectId"] as? String == q.id)
        }
    }

    @Test("第十七条: a 涉密 duplicate shows only as restricted to those not named; unseen query projects are 404", arguments: Backend.all)
    func classifiedMatches(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let q = try await Self.create(world, as: "unitB", name: Self.query.name, content: Self.query.content, goals: Self.query.goals)
            let s = try await Self.create(
                world, as: "unitA", name: Self.secretName, content: Self.duplicate.content, goals: Self.duplicate.goals, classified: true)
            for u in Self.unrelated { _ = try await Self.create(world, as: u.unit, name: u.name, content: u.content, goals: u.goals) }

            for caller in ["unitB", "drc"] {
                let reply = try await world.call(.GET, "/api/v1/projects/\(q.id)/similar", as: caller)
                #expect(reply.status == .ok)
                let restricted = Self.matches(reply).filter { $0["restricted"] as? Bool == true }
                #expect(restricted.count == 1, "\(caller): \(Self.matches(reply))")
                if let r = restricted.first {
                    #expect(Set(r.keys) == ["restricted", "summary"])
                    #expect(r["summary"] as? String == "有受限项目相似")
                    #expect(Self.matches(reply).last?["restricted"] as? Bool == true, "the restricted line is last")
                }
                let body = String(buffer: reply.raw)
                for secret in [s.id, s.id.lowercased(), s.code, Self.secretName, "保密管控"] {
                    #expect(!body.contains(secret), "\(caller) learns \(secret)")
                }
            }

            // unitA's creator is named on it: shown in full to them, from a project of their own.
            let own = try await Self.create(
                world, as: "unitA", name: Self.duplicate.name, content: Self.duplicate.content, goals: Self.duplicate.goals)
            let named = Self.matches(try await world.call(.GET, "/api/v1/projects/\(own.id)/similar", as: "unitA"))
            #expect(named.contains { $0["projectId"] as? String == s.id && $0["name"] as? String == Self.secretName })

            // A 涉密 query project works for those named on it, and is unknown to everyone else.
            let asQuery = try await world.call(.GET, "/api/v1/projects/\(s.id)/similar", as: "unitA")
            #expect(asQuery.status == .ok)
            #expect(Self.matches(asQuery).contains { $0["projectId"] as? String == own.id })
            let unknown = try await world.call(.GET, "/api/v1/projects/\(UUID().uuidString)/similar", as: "drc")
            #expect(unknown.status == .notFound)
            for (caller, id) in [("drc", s.id), ("unitA", q.id), ("unitB", s.id)] {
                let hidden = try await world.call(.GET, "/api/v1/projects/\(id)/similar", as: caller)
                #expect(hidden.status == .notFound, "\(caller) on \(id)")
                #expect(NSDictionary(dictionary: hidden.object).isEqual(to: unknown.object), "\(caller): not as for an unknown id")
            }
        }
    }

    @Test("查重's preselection reads the text indexes and primary keys, never the whole projects table", arguments: Backend.all)
    func candidatePlans(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let seeded = try await QueryPlanTests.seed(app.db)
                let postgres = backend == .postgres
                let index = (sqlite: "VIRTUAL TABLE INDEX", postgres: "project_search_grams_pkey")
                let grams = SimilarCandidates.grams(of: "数据共享交换平台", length: postgres ? 2 : 3)
                #expect(grams.count == (postgres ? 7 : 6))
                var findings: [QueryPlanTests.Finding] = []
                for gram in grams {
                    let probe = postgres ? SimilarCandidates.postgresProbe(gram) : SimilarCandidates.sqliteProbe(gram)
                    findings += try await QueryPlanTests.check(
                        probe, "probe \(gram)", allowSort: true, requiring: index, tables: ["projects", "project_search_grams"], on: app.db)
                }
                // The probes read in one statement count what each reads alone.
                let together = try await PlainRows.all(SimilarCandidates.probes(grams, postgres: postgres), on: app.db)[0]
                for (i, gram) in grams.enumerated() {
                    let probe = postgres ? SimilarCandidates.postgresProbe(gram) : SimilarCandidates.sqliteProbe(gram)
                    let alone = try await PlainRows.all(probe, on: app.db)[0].int(0)
                    #expect(try together.int(i) == alone, "\(gram)")
                }
                #expect(try together.int(0) > 0)
                let candidates = postgres ? SimilarCandidates.postgresCandidates(grams) : SimilarCandidates.sqliteCandidates(grams)
                // Sorted after the index lookup by design: by bm25 / shared grams, over rows holding a distinctive gram.
                findings += try await QueryPlanTests.check(
                    candidates, "candidates", allowSort: true, requiring: index, tables: ["projects", "project_search_grams"], on: app.db)
                findings += try await QueryPlanTests.check(
                    SimilarCandidates.openTexts(Array(seeded.open.prefix(200))), "texts",
                    allowSort: true, requiring: (sqlite: "sqlite_autoindex_projects_1 (id=?)", postgres: "projects_pkey"),
                    tables: ["projects", "project_review_texts"], on: app.db)
                findings += try await QueryPlanTests.check(SimilarCandidates.classifiedKeys(), "涉密 keys", allowSort: true, on: app.db)
                for finding in findings { Issue.record("\(finding)") }
                // 「数据共享交换平台N号」 is 1 name in 8 of 400 (none 涉密): 50 rows hold its trigrams. Its bigram
                // 平台 is also in 「政务云平台」 (50) and 「管理平台二期」 (50, of which the 10 rows that are 涉密 are in no index).
                let found = try await PlainRows.all(candidates, on: app.db)
                #expect(found.count == (postgres ? 140 : 50), "\(found.count) candidates")
            }
        }
    }
}
