import Foundation
import Testing

@testable import ZhengxinCore

/// The guidance beside each action's form: a sentence of the action's own article, an example,
/// and the documents the rules will ask for, the same ones the conditions name when missing.
@Suite("Action guidance")
struct ActionGuidanceTests {
    /// "第二十一条" and the like, wherever they occur in a text.
    static func articlesNamed(in text: String) -> [String] {
        let numerals = Set("一二三四五六七八九十")
        var found: [String] = []
        var chars = Array(text)[...]
        while let start = chars.firstIndex(of: "第") {
            let rest = chars[(start + 1)...]
            let digits = rest.prefix { numerals.contains($0) }
            if !digits.isEmpty, rest.dropFirst(digits.count).first == "条" { found.append("第\(String(digits))条") }
            chars = rest
        }
        return found
    }

    @Test func everyCatalogActionHasGuidanceFromItsOwnArticle() {
        for rule in Lifecycle.catalog {
            let guidance = ActionGuidance.for(action: rule.spec.name)
            #expect(guidance != nil, "no guidance for \(rule.spec.name)")
            guard let g = guidance else { continue }
            #expect(g.article == rule.spec.article)
            #expect(g.articleText.count >= 10, "\(rule.spec.name): quote too short")
            // A quote names no other article than the action's own.
            for named in Self.articlesNamed(in: g.articleText) {
                #expect(rule.spec.article.contains(named), "\(rule.spec.name) quotes \(named), not \(rule.spec.article)")
            }
            if let example = g.example {
                #expect(
                    !example.isEmpty && !example.contains("\n") && example.count <= 60, "\(rule.spec.name): example is not one short line")
            }
        }
        #expect(ActionGuidance.entries.count == Lifecycle.catalog.count, "guidance for an action the catalog does not have")
        #expect(ActionGuidance.for(action: "no-such-action") == nil)
    }

    @Test func theArticleCheckFindsArticleNames() {
        #expect(Self.articlesNamed(in: "依第二十一条及第八条办理,第条不算") == ["第二十一条", "第八条"])
        #expect(Self.articlesNamed(in: "项目单位应当") == [])
    }

    // R-APP-1 (第八条, 第九条): the document an application or a 批复 waits for is the one the conditions name.
    @Test(arguments: [Fen(yuan: 5_000_000), Fen(yuan: 20_000_000), Fen(yuan: 60_000_000)])
    func approvalDocumentsAreTheOnesTheConditionsAskFor(_ total: Fen) throws {
        var s = try Scenario.at(.planned, NewProject(total: total))
        let apply = ActionGuidance.requiredDocuments(action: "apply-for-approval", for: s.project, s.policy)
        #expect(apply == [ApprovalPath.documents(for: s.project, s.policy)[0]])
        let refused = s.attempt("apply-for-approval", by: Actors.unit, on: Timeline.applied).violations.filter { $0.rule == "R-APP-1" }
        #expect(refused.count == 1 && refused[0].message.contains("「\(apply[0].chinese)」"))
        try s.attach(apply[0], on: Timeline.applied)
        try s.act("apply-for-approval", by: Actors.unit, on: Timeline.applied)
        let path = ApprovalPath.documents(for: s.project, s.policy)
        #expect(ActionGuidance.requiredDocuments(action: "approve-document", for: s.project, s.policy) == [path[0]])
        if path.count > 1 {
            try s.act("approve-document", by: Actors.drc, Payloads.approval(path[0], amount: total), on: Timeline.approvedOn)
            let next = ActionGuidance.requiredDocuments(action: "approve-document", for: s.project, s.policy)
            #expect(next == [path[1]])
            let waiting = s.attempt("approve-document", by: Actors.drc, Payloads.approval(path[1], amount: total), on: Timeline.approvedOn)
            #expect(waiting.violations.contains { $0.rule == "R-APP-1" && $0.message.contains("「\(path[1].chinese)」") })
        }
    }

    // R-ACC-3 (第二十一条): the materials of 竣工验收申请, each named by the conditions while missing.
    @Test func acceptanceMaterialsAreTheOnesTheConditionsAskFor() throws {
        let s = try Scenario.at(.trialRunning)
        let required = ActionGuidance.requiredDocuments(action: "apply-for-acceptance", for: s.project, s.policy)
        #expect(Set(required) == [.constructionSummary, .financialReport, .auditReport, .securityRiskAssessment])
        let named = s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd).violations.filter { $0.rule == "R-ACC-3" }
        #expect(named.count == required.count)
        for kind in required { #expect(named.contains { $0.message.contains("「\(kind.chinese)」") }) }
        #expect(ActionGuidance.requiredDocuments(action: "file-acceptance-report", for: s.project, s.policy) == [.acceptanceReport])
        #expect(ActionGuidance.requiredDocuments(action: "declare", for: s.project, s.policy).isEmpty)
    }
}
