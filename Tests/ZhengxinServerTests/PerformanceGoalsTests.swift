import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// 绩效目标 (R-GOAL-1, 第五条) and 绩效评价 (R-GOAL-2, 第三十五条) over HTTP and on the pages, on each backend.
@Suite("Performance goals and evaluation over HTTP")
struct PerformanceGoalsTests {
    /// 40 + 40 + 20 分 (Walk.indicators): 35 + 34.99 + 20 = 89.99, 良 by one hundredth.
    static func evaluation(_ today: String) -> [String: Any] {
        [
            "evaluatedOn": today, "conclusion": "绩效目标基本实现",
            "scores": [
                ["indicatorNumber": 1, "actual": "42", "score": "35", "evidence": "接入清单"],
                ["indicatorNumber": 2, "actual": "28.5", "score": "34.99", "evidence": "办件统计"],
                ["indicatorNumber": 3, "actual": "93", "score": "20", "evidence": "满意度调查报告"],
            ],
        ]
    }

    @Test("declare without a 效益 indicator: 422 naming R-GOAL-1 and 第五条, the draft unchanged", arguments: Backend.all)
    func declareNeedsEffect(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            let outputOnly = Walk.indicators.filter { $0["category"] as? String != "social" }.map { $0.filter { $0.key != "weight" } }
            try await w.create(Walk.draft(yuan: 1_000_000, extra: ["performanceIndicators": outputOnly]))
            let refused = try await world.act(w.projectId, "declare", as: "unitA")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.ruleIds == ["R-GOAL-1"])
            #expect(refused.violations.first?["article"] as? String == "第五条")
            #expect((refused.violations.first?["message"] as? String)?.contains("效益指标") == true)
            #expect(try await w.project().stage == "draft")
            let goals = try await w.project().project["performanceGoals"] as? [String: Any]
            #expect((goals?["indicators"] as? [Any])?.count == 2)

            let hostile = try await world.act(
                w.projectId, "update", as: "unitA",
                Walk.draft(
                    yuan: 1_000_000,
                    extra: [
                        "performanceIndicators": (0...50).map {
                            ["name": "x\($0)", "category": "quantity", "comparison": "atLeast", "target": "1", "unit": "个"]
                        }
                    ]))
            #expect(hostile.status == .badRequest)
            #expect(hostile.ruleIds == ["INPUT"])
            #expect(((try await w.project().project["performanceGoals"] as? [String: Any])?["indicators"] as? [Any])?.count == 2)
        }
    }

    @Test("after approval the goals change only through propose-change, which must say the goals change", arguments: Backend.all)
    func goalsFixedByApproval(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let edit = try await world.act(w.projectId, "update", as: "unitA", Walk.draft(yuan: 8_000_000))
            #expect(edit.status == .conflict)
            #expect(edit.ruleIds == ["R-STAGE"])
            var rows = Walk.indicators
            rows[0]["target"] = "60"
            let budget = 800_000_000
            var change: [String: Any] = [
                "description": "扩大接入范围", "reason": "newDeployment", "newTotalFen": budget, "adjustedAmountFen": 0,
                "goalsUnchanged": true, "newPerformanceIndicators": rows,
            ]
            let unsaid = try await world.act(w.projectId, "propose-change", as: "unitA", change)
            #expect(unsaid.status == .unprocessableEntity)
            #expect(unsaid.ruleIds == ["R-GOAL-1"])
            #expect(unsaid.violations.first?["article"] as? String == "第十九条")
            change["goalsUnchanged"] = false
            let proposed = try await world.must(w.projectId, "propose-change", as: "unitA", change)
            let last = (proposed.project["changes"] as? [[String: Any]])?.last
            #expect(last?["route"] as? String == "reApproval")
            let inForce = (proposed.project["performanceGoals"] as? [String: Any])?["indicators"] as? [[String: Any]]
            #expect(inForce?.first?["target"] as? String == "40", "not in force before approval")
            let approved = try await world.must(
                w.projectId, "approve-change", as: "drc",
                ["changeNumber": last?["number"] as? Int ?? 0, "documentNumber": "郑发改〔2027〕9号", "approvedOn": w.today])
            let after = (approved.project["performanceGoals"] as? [String: Any])?["indicators"] as? [[String: Any]]
            #expect(after?.first?["target"] as? String == "60")
        }
    }

    @Test(
        "evaluation recorded by 市财政局: score and grade on the project page; the unit's next project shows it in review",
        arguments: Backend.all)
    func evaluationOnThePage(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            try await w.toAccepted()
            let byUnit = try await world.act(w.projectId, "evaluate-performance", as: "unitA", Self.evaluation(w.today))
            #expect(byUnit.status == .forbidden)
            var partial = Self.evaluation(w.today)
            partial["scores"] = Array((partial["scores"] as! [[String: Any]]).prefix(2))
            let missing = try await world.act(w.projectId, "evaluate-performance", as: "fin", partial)
            #expect(missing.status == .unprocessableEntity && missing.ruleIds == ["R-GOAL-2"])
            let done = try await world.must(w.projectId, "evaluate-performance", as: "fin", Self.evaluation(w.today))
            let evaluation = ((done.project["supervision"] as? [String: Any])?["evaluations"] as? [[String: Any]])?.first
            #expect(evaluation?["total"] as? String == "89.99")
            #expect(evaluation?["grade"] as? String == "good")

            let session = try await world.webLogin("unitA")
            let page = try await world.page("/projects/\(w.projectId)", session: session)
            #expect(page.status == .ok)
            #expect(page.html.contains("最近一次绩效评价: 总分 <span class=\"performance-total\">89.99</span> 分"))
            #expect(page.html.contains("<span class=\"performance-grade\">良</span>"))
            #expect(page.html.contains("接入部门数") && page.html.contains("满意度调查报告"))

            var next = Walk(world)
            try await next.create(Walk.draft(name: "卫生健康数据中台", yuan: 2_000_000, planYear: world.clock.now.beijingDate.year + 2))
            try await world.must(next.projectId, "declare", as: "unitA")
            let drc = try await world.webLogin("drc")
            let review = try await world.page("/projects/\(next.projectId)", session: drc)
            #expect(review.html.contains("本单位已评价项目绩效"))
            #expect(review.html.contains("总分 89.99 分,等级「良」"))
            #expect(review.html.contains("接入部门数"), "the goals are on the page the review sees")
        }
    }

    @Test("a 涉密 project's evaluation is seen only by those named on it", arguments: Backend.all)
    func classifiedEvaluation(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密指挥系统", yuan: 3_000_000, extra: ["classified": true]))
            for agency in ["drc", "bdb", "fin"] {
                try await world.must(
                    secret.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds[agency]!.uuidString])
            }
            try await secret.toReserve()
            try await secret.toPlanned(amountFen: 300_000_000)
            try await secret.toApproved(path: ["implementationPlan"], amountFen: 300_000_000)
            try await secret.toConstructing(budgetFen: 300_000_000, classified: true)
            try await secret.toAccepted()
            try await world.must(secret.projectId, "evaluate-performance", as: "fin", Self.evaluation(secret.today))

            var next = Walk(world)
            try await next.create(Walk.draft(name: "卫生健康数据中台", yuan: 2_000_000, planYear: world.clock.now.beijingDate.year + 2))
            try await world.must(next.projectId, "declare", as: "unitA")
            // drcViewer is of 市发展改革委 but not named on the 涉密 project.
            let outsider = try await world.webLogin("drcViewer")
            #expect(try await world.page("/projects/\(secret.projectId)", session: outsider).status == .notFound)
            #expect(try await world.call(.GET, "/api/v1/projects/\(secret.projectId)", as: "unitA2").status == .notFound)
            let review = try await world.page("/projects/\(next.projectId)", session: outsider)
            #expect(review.status == .ok)
            #expect(review.html.contains("本单位已评价项目绩效"))
            #expect(!review.html.contains("涉密指挥系统") && !review.html.contains("89.99"))
            let named = try await world.page("/projects/\(next.projectId)", session: try await world.webLogin("drc"))
            #expect(named.html.contains("涉密指挥系统") && named.html.contains("总分 89.99 分"))
        }
    }
    @Test(
        "the evaluation deadline in the daily scan: upcoming on the last day, overdue the day after, resolved by the evaluation",
        arguments: Backend.all)
    func evaluationDeadline(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            try await w.toAccepted()
            let accepted = try #require(CivilDate(iso: try await w.project().project["acceptedOn"] as? String ?? ""))
            let due = accepted.addingMonths(Policy.defaultPerformanceEvaluationMonths)
            func items(_ user: String, _ path: String = "/api/v1/inbox") async throws -> [[String: Any]] {
                try await world.call(.GET, path, as: user).array.compactMap { $0 as? [String: Any] }.filter {
                    $0["kind"] as? String == "performanceEvaluation"
                }
            }
            world.clock.set(due)
            _ = try await DeadlineScanner.run(world.app)
            #expect(try await items("fin").map { $0["status"] as? String } == ["upcoming"])
            #expect(try await items("drc").map { $0["status"] as? String } == ["upcoming"])
            #expect(try await items("unitA").isEmpty, "the unit learns of it once late")
            world.clock.set(due.addingDays(1))
            _ = try await DeadlineScanner.run(world.app)
            for user in ["fin", "drc", "unitA"] {
                let late = try await items(user)
                #expect(late.map { $0["status"] as? String } == ["overdue"], "\(user)")
                #expect(late.first?["rule"] as? String == "R-GOAL-2" && late.first?["article"] as? String == "第三十五条")
            }
            #expect(try await items("bdb").isEmpty)
            #expect(try await items("fin", "/api/v1/overdue").count == 1)
            try await world.must(w.projectId, "evaluate-performance", as: "fin", Self.evaluation(w.today))
            _ = try await DeadlineScanner.run(world.app)
            #expect(try await items("fin").isEmpty)
            #expect(try await items("unitA").isEmpty)
        }
    }
    @Test("where 市财政局 decides the unit's O&M fee, the unit's evaluated projects are beside the form", arguments: Backend.all)
    func evaluationsBesideTheFeeForm(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            // Both declared within 第七条's window, then walked one after the other.
            var evaluated = Walk(world)
            try await evaluated.create(Walk.draft(yuan: 8_000_000))
            var w = Walk(world)
            try await w.create(Walk.draft(name: "卫生健康运维平台", yuan: 8_000_000))
            try await evaluated.toReserve()
            try await w.toReserve()
            for walk in [evaluated, w] {
                try await walk.toPlanned(amountFen: 800_000_000)
                try await walk.toApproved(path: ["implementationPlan"], amountFen: 800_000_000)
                try await walk.toConstructing(budgetFen: 800_000_000)
            }
            try await evaluated.toAccepted()
            try await world.must(evaluated.projectId, "evaluate-performance", as: "fin", Self.evaluation(evaluated.today))
            try await w.toAccepted()
            let report = try await w.upload("acceptanceReport")
            try await world.must(
                w.projectId, "file-acceptance-report", as: "unitA",
                ["documentNumber": try #require(OperationsAndSecurityTests.documentNumber(report, "acceptanceReport"))])
            try await world.must(
                w.projectId, "start-operations", as: "unitA", OperationsAndSecurityTests.arrangement("selfManaged", on: w.today))
            world.clock.set(CivilDate(2031, 6, 1))  // after the walk's warranty (2031-01-01), 2032's fee may be applied for
            try await world.must(
                w.projectId, "apply-for-operations-fee", as: "unitA", ["year": 2032, "amountFen": 20_000_000, "basis": "运维费标准"])
            let page = try await world.page("/projects/\(w.projectId)", session: try await world.webLogin("fin"))
            let form = try #require(page.html.range(of: "id=\"action-approve-operations-fee\""))
            let block = String(page.html[form.upperBound...]).components(separatedBy: "</details>")[0]
            #expect(block.contains("本单位已评价项目绩效"))
            #expect(block.contains("总分 89.99 分,等级「良」"))
        }
    }
}
