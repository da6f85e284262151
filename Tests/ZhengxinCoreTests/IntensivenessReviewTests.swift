import Foundation
import Testing

@testable import ZhengxinCore

/// R-REV-3 (第七条 集约性, 第二十七条): the 集约性 finding names every similar project 查重 found, with
/// a reason; restricted (涉密) matches are acknowledged without being named.
@Suite("Review: 集约性 records the similar projects considered")
struct IntensivenessReviewTests {
    static let duplicateId = UUID(uuidString: "00000000-0000-4000-8000-0000000000d1")!
    static let similarId = UUID(uuidString: "00000000-0000-4000-8000-0000000000d2")!
    static let duplicate = SimilarityFacts.Match(projectId: duplicateId, label: "ZZ-2026-0002 郑州市交通信号智能控制平台", score: 0.412)
    static let similar = SimilarityFacts.Match(projectId: similarId, label: "ZZ-2025-0007 智慧停车平台", score: 0.2)

    /// The five findings, the 集约性 one with the given 查重 fields.
    static func findings(considered: [UUID]? = nil, restricted: Bool? = nil, assessment: String? = nil) -> [JSON] {
        Payloads.findings().map { f in
            guard f["criterion"] as? String == ReviewCriterion.intensiveness.rawValue else { return f }
            var f = f
            if let considered { f["consideredProjects"] = considered.map(\.uuidString) }
            if let restricted { f["restrictedConsidered"] = restricted }
            if let assessment { f["duplicateAssessment"] = assessment }
            return f
        }
    }

    static func attempt(_ s: Scenario, _ facts: SimilarityFacts?, _ findings: [JSON], _ conclusion: ReviewConclusion = .pass) -> Decision {
        var ctx = s.context(Actors.bdb)
        ctx.similarity = facts
        return Lifecycle.perform(
            action: "issue-review-opinion", body: body(Payloads.opinion(conclusion, findings: findings)), on: s.project, ctx)!
    }

    @Test("a likely duplicate not named is refused, listing it with R-REV-3 第七条, whatever the conclusion")
    func missingDuplicateRefused() throws {
        let s = try Scenario.at(.techReview)
        let facts = SimilarityFacts(matches: [Self.duplicate, Self.similar])
        for conclusion in [ReviewConclusion.pass, .returned, .rejected] {
            let d = Self.attempt(s, facts, Self.findings(), conclusion)
            #expect(d.rules == ["R-REV-3", "R-REV-3", "R-REV-3"], "\(conclusion)")
            #expect(d.violations.allSatisfy { $0.article == "第七条" })
            #expect(d.violations[0].message.contains("ZZ-2026-0002") && d.violations[0].message.contains("疑似重复"))
            #expect(d.violations[1].message.contains("ZZ-2025-0007") && d.violations[1].message.contains("相似"))
            #expect(d.violations[2].field == "findings[4].duplicateAssessment")
        }
        // One named, the other not: only the other is listed.
        let one = Self.attempt(s, facts, Self.findings(considered: [Self.duplicateId], assessment: "与已建平台功能重叠,退回整合"))
        #expect(one.violations.map(\.message).joined().contains("ZZ-2025-0007"))
        #expect(!one.violations.map(\.message).joined().contains("ZZ-2026-0002"))
    }

    @Test("named with a reason: accepted and stored on the opinion")
    func consideredAccepted() throws {
        let s = try Scenario.at(.techReview)
        let facts = SimilarityFacts(matches: [Self.duplicate, Self.similar])
        let d = Self.attempt(
            s, facts, Self.findings(considered: [Self.duplicateId, Self.similarId], assessment: "已有平台仅覆盖主城区,本项目覆盖县区,不重复"))
        let stored = try #require(d.project?.reviewOpinions.last?.findings.first { $0.criterion == .intensiveness })
        #expect(stored.consideredProjects == [Self.duplicateId, Self.similarId])
        #expect(stored.duplicateAssessment == "已有平台仅覆盖主城区,本项目覆盖县区,不重复")
        // Named but no reason given: refused.
        let noReason = Self.attempt(s, facts, Self.findings(considered: [Self.duplicateId, Self.similarId], assessment: "  "))
        #expect(noReason.violations.map(\.field) == ["findings[4].duplicateAssessment"])
    }

    @Test("boundary: a score exactly at 相似's threshold must be considered, just below need not")
    func thresholdBoundary() throws {
        let s = try Scenario.at(.techReview)
        let at = SimilarityFacts(matches: [
            .init(projectId: Self.similarId, label: "ZZ-2025-0007 智慧停车平台", score: SimilarityVerdict.similarThreshold)
        ])
        #expect(Self.attempt(s, at, Self.findings()).rules == ["R-REV-3", "R-REV-3"])
        let below = SimilarityFacts(
            matches: [.init(projectId: Self.similarId, label: "ZZ-2025-0007 智慧停车平台", score: SimilarityVerdict.similarThreshold.nextDown)])
        #expect(Self.attempt(s, below, Self.findings()).project != nil)
        // And at 疑似重复's: the refusal names it so.
        let likely = SimilarityFacts(
            matches: [.init(projectId: Self.duplicateId, label: "ZZ-2026-0002 平台", score: SimilarityVerdict.likelyDuplicateThreshold)])
        #expect(Self.attempt(s, likely, Self.findings()).violations.first?.message.contains("疑似重复") == true)
        let justBelow = SimilarityFacts(
            matches: [
                .init(projectId: Self.duplicateId, label: "ZZ-2026-0002 平台", score: SimilarityVerdict.likelyDuplicateThreshold.nextDown)
            ])
        #expect(Self.attempt(s, justBelow, Self.findings()).violations.first?.message.contains("(相似度0.320)") == true)
        #expect(Self.attempt(s, justBelow, Self.findings()).violations.first?.message.contains("」相似") == true)
    }

    @Test("a restricted match: acknowledged generically, never named; one sentence however many")
    func restrictedMatch() throws {
        let s = try Scenario.at(.techReview)
        let facts = SimilarityFacts(matches: [.restricted(score: 0.5), .restricted(score: 0.3), .restricted(score: 0.1)])
        let d = Self.attempt(s, facts, Self.findings(assessment: "不重复"))
        #expect(d.violations.map(\.message) == ["查重发现有受限项目相似,「集约性」审查结论须确认已考虑受限项目"])
        #expect(d.violations.first?.field == "findings[4].restrictedConsidered")
        #expect(Self.attempt(s, facts, Self.findings(restricted: true, assessment: "已考虑受限项目,本项目不重复")).project != nil)
        // Only a restricted match below the threshold: nothing to acknowledge.
        #expect(Self.attempt(s, SimilarityFacts(matches: [.restricted(score: 0.149)]), Self.findings()).project != nil)
    }

    @Test("ids named must be projects the reviewer may see: one message for unknown and hidden alike")
    func unknownNamed() throws {
        let s = try Scenario.at(.techReview)
        let ghost = UUID()
        let facts = SimilarityFacts(matches: [], unknownNamed: [ghost])
        let d = Self.attempt(s, facts, Self.findings(considered: [ghost, Self.similarId], assessment: "不重复"))
        #expect(d.violations.map(\.message) == [IntensivenessReview.notListable(0)])
        #expect(d.violations.first?.field == "findings[4].consideredProjects[0]")
        #expect(d.rules == ["R-REV-3"])
    }

    @Test("a 涉密 project named by a reviewer who may see it: refused by position, to be acknowledged as restricted")
    func classifiedNamed() throws {
        let s = try Scenario.at(.techReview)
        let secret = UUID()
        let facts = SimilarityFacts(matches: [.restricted(score: 0.6)], classifiedNamed: [secret])
        let d = Self.attempt(s, facts, Self.findings(considered: [secret], restricted: true, assessment: "不重复"))
        #expect(d.violations.map(\.message) == [IntensivenessReview.notListable(0)])
        #expect(Self.attempt(s, facts, Self.findings(restricted: true, assessment: "不重复")).project != nil)
    }

    @Test("an unknown id and a 涉密 one the reviewer is named on get one wording, field for field")
    func oneWordingForUnknownAndClassified() throws {
        let s = try Scenario.at(.techReview)
        let id = UUID()
        let listed = Self.findings(considered: [Self.similarId, id], restricted: true, assessment: "不重复")
        let unknown = Self.attempt(s, SimilarityFacts(matches: [.restricted(score: 0.6)], unknownNamed: [id]), listed)
        let classified = Self.attempt(s, SimilarityFacts(matches: [.restricted(score: 0.6)], classifiedNamed: [id]), listed)
        #expect(
            unknown.violations.map(\.message) == [
                "「集约性」所列第2个项目不能列入审查意见(不存在、无权查看或为受限项目),如相似项目为受限项目,请改为确认已考虑受限项目"
            ])
        #expect(unknown.violations == classified.violations)
        #expect(unknown.violations.first?.field == "findings[4].consideredProjects[1]")
    }

    @Test("input: the 查重 fields only on 集约性, at most 20 ids, none twice; no facts ask nothing")
    func inputBounds() throws {
        let s = try Scenario.at(.techReview)
        var stray = Payloads.findings()
        stray[0]["duplicateAssessment"] = "不重复"
        #expect(Self.attempt(s, nil, stray).rules == ["INPUT"])
        let many = (0..<21).map { _ in UUID() }
        #expect(Self.attempt(s, nil, Self.findings(considered: many)).rules == ["INPUT"])
        #expect(Self.attempt(s, nil, Self.findings(considered: [Self.similarId, Self.similarId])).rules == ["INPUT"])
        #expect(Self.attempt(s, nil, Self.findings()).project != nil)
    }

    @Test("an opinion stored before 查重 decodes, its 集约性 fields absent")
    func oldOpinionDecodes() throws {
        let old = #"{"criterion":"intensiveness","satisfied":true,"comment":"集约"}"#
        let f = try JSONDecoder().decode(CriterionFinding.self, from: Data(old.utf8))
        #expect(f.consideredProjects == nil && f.restrictedConsidered == nil && f.duplicateAssessment == nil)
        let again = try JSONDecoder().decode(CriterionFinding.self, from: try JSONEncoder().encode(f))
        #expect(again == f)
    }
}
