/// R-APP-1 (第九条): which documents are approved, in which order, for a project's tier.
public enum ApprovalPath {
    public static func documents(for p: ProjectRecord, _ policy: Policy) -> [DocumentKind] {
        switch p.tier(policy) {
        case .one:
            return [.implementationPlan]
        case .two:
            // 建设内容单一、技术方案简单: 可研 and 初设 merge into one 实施方案 when DRC accepts it.
            return p.simpleContentRuling?.accepted == true ? [.implementationPlan] : [.feasibilityStudy, .preliminaryDesign]
        case .three:
            return [.projectProposal, .feasibilityStudy, .preliminaryDesign]
        }
    }

    /// The next document to approve, or nil when the path is complete.
    public static func next(for p: ProjectRecord, _ policy: Policy) -> DocumentKind? {
        let path = documents(for: p, policy)
        return p.approvals.count < path.count ? path[p.approvals.count] : nil
    }

    /// R-APP-3 (第二十六条): what the latest document of `kind` lacks in its sharing chapter, and
    /// what consulting evaluations of it lack.
    public static func sharingChapterViolations(for kind: DocumentKind, in p: ProjectRecord) -> [Violation] {
        var c = Checklist()
        if kind.needsSharingChapter, let doc = p.documents(of: kind).last {
            for part in SharingChapterPart.allCases where !doc.sharingChapter.contains(part) {
                c.add(
                    Violation(
                        rule: "R-APP-3", article: "第二十六条",
                        message: "「\(kind.chinese)」的信息资源共享分析篇(章)缺少「\(part.chinese)」"))
            }
        }
        for eval in p.documents(of: .consultingEvaluation) where eval.evaluates == kind && eval.sharingChapterOpinion != true {
            c.add(
                Violation(
                    rule: "R-APP-3", article: "第二十六条",
                    message: "咨询评估报告「\(eval.filename)」缺少对信息资源共享分析篇(章)的评估意见"))
        }
        return c.violations
    }
}
