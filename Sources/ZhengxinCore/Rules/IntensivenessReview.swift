import Foundation

/// R-REV-3 (第七条 项目的集约性, 第二十七条 依托已有平台、不得重复建设): BDB's 集约性 finding records
/// which similar projects it considered and why the new one is or is not a duplicate.
///
/// The similar projects are the server's 查重 facts (`DecisionContext.similarity`): every current top
/// match at or above SimilarityVerdict.similarThreshold must be named in `consideredProjects`, with a
/// `duplicateAssessment`. A restricted match (涉密, 第十七条) is never named: the opinion is read by
/// whoever sees the project, named on the 涉密 one or not. It is satisfied by `restrictedConsidered`,
/// and its refusal is one sentence however many restricted projects match, naming none of them.
enum IntensivenessReview {
    static let rule = "R-REV-3"
    static let article = "第七条"
    /// More than the five matches shown, fewer than a list that would hide what was really weighed.
    static let maxConsidered = 20

    /// Input: the 查重 fields belong to the 集约性 finding, within bounds.
    static func inputViolations(_ findings: [CriterionFinding]) -> [Violation] {
        var c = Checklist()
        for (i, f) in findings.enumerated() {
            if f.criterion != .intensiveness {
                let stray = f.consideredProjects != nil || f.restrictedConsidered != nil || f.duplicateAssessment != nil
                c.require(!stray, .input("findings[\(i)].consideredProjects", "考虑的相似项目及重复性说明仅填写在「集约性」审查结论中"))
                continue
            }
            let ids = f.consideredProjects ?? []
            c.require(ids.count <= maxConsidered, .input("findings[\(i)].consideredProjects", "考虑的相似项目不超过\(maxConsidered)个"))
            c.require(Set(ids).count == ids.count, .input("findings[\(i)].consideredProjects", "考虑的相似项目重复列出"))
            if let text = f.duplicateAssessment, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                let v = Fields.text(text, "findings[\(i)].duplicateAssessment")
            {
                c.add(v)
            }
        }
        return c.violations
    }

    /// Against the facts: every match to consider is named (or, restricted, acknowledged), with a
    /// reason; every id named is a project the reviewer may see. No facts (a caller that ranks
    /// nothing, such as the demo's walk through the core) ask nothing.
    static func violations(_ findings: [CriterionFinding], _ facts: SimilarityFacts?) -> [Violation] {
        guard let facts, let i = findings.firstIndex(where: { $0.criterion == .intensiveness }) else { return [] }
        let finding = findings[i]
        let named = Set(finding.consideredProjects ?? [])
        let field = "findings[\(i)].consideredProjects"
        var c = Checklist()
        for (k, id) in (finding.consideredProjects ?? []).enumerated()
        where facts.unknownNamed.contains(id) || facts.classifiedNamed.contains(id) {
            // One answer for an id that does not exist, a 涉密 project the reviewer is not named on and
            // one the reviewer is named on: the refusal lands in this project's audit, which its unit
            // reads, so it must not tell the three apart. By position, so it does not carry the id back.
            c.add(Violation(rule: rule, article: article, message: notListable(k), field: "\(field)[\(k)]"))
        }
        let required = facts.requiringConsideration
        for m in required {
            guard let id = m.projectId, !named.contains(id) else { continue }
            c.add(
                Violation(
                    rule: rule, article: article,
                    message: "查重发现「\(m.label)」\(m.verdict.chinese)(相似度\(scoreText(m.score))),「集约性」审查结论须列明已考虑该项目并说明是否重复",
                    field: field))
        }
        if required.contains(where: \.isRestricted) && finding.restrictedConsidered != true {
            c.add(
                Violation(
                    rule: rule, article: article, message: "查重发现有受限项目相似,「集约性」审查结论须确认已考虑受限项目",
                    field: "findings[\(i)].restrictedConsidered"))
        }
        let reason = finding.duplicateAssessment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !required.isEmpty && reason.isEmpty {
            c.add(
                Violation(
                    rule: rule, article: article, message: "查重发现相似项目,「集约性」审查结论须说明本项目与其是否重复及理由",
                    field: "findings[\(i)].duplicateAssessment"))
        }
        return c.violations
    }

    /// The refusal for the k-th (0-based) listed id that no opinion may name.
    static func notListable(_ k: Int) -> String {
        "「集约性」所列第\(k + 1)个项目不能列入审查意见(不存在、无权查看或为受限项目),如相似项目为受限项目,请改为确认已考虑受限项目"
    }

    /// Three decimals, as the 查重 API shows a score.
    static func scoreText(_ score: Double) -> String {
        let thousandths = Int((score * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
