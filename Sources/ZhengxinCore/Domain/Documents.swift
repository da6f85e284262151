import Foundation

/// The kinds of document the Measures name; each approval or acceptance step asks for some.
public enum DocumentKind: String, Codable, Sendable, CaseIterable {
    case projectProposal  // 项目建议书 (第九条)
    case feasibilityStudy  // 可行性研究报告
    case preliminaryDesign  // 初步设计
    case implementationPlan  // 实施方案
    case consultingEvaluation  // 咨询评估报告 (第二十六条)
    case constructionSummary  // 建设总结 (第二十一条)
    case financialReport  // 财务报告
    case auditReport  // 审计报告
    case securityRiskAssessment  // 安全风险评估报告
    case acceptanceReport  // 验收报告
    case delayReport  // 延期报告 (第二十二条)
    case contract  // 合同
    case other  // 其他

    public var chinese: String {
        switch self {
        case .projectProposal: return "项目建议书"
        case .feasibilityStudy: return "可行性研究报告"
        case .preliminaryDesign: return "初步设计"
        case .implementationPlan: return "实施方案"
        case .consultingEvaluation: return "咨询评估报告"
        case .constructionSummary: return "建设总结"
        case .financialReport: return "财务报告"
        case .auditReport: return "审计报告"
        case .securityRiskAssessment: return "安全风险评估报告"
        case .acceptanceReport: return "验收报告"
        case .delayReport: return "延期报告"
        case .contract: return "合同"
        case .other: return "其他材料"
        }
    }

    /// Who supplies a document of this kind. The unit compiles and submits its own (第三条: 组织编制项目
    /// 建议书、可行性研究报告…; 第八条, 第二十一条, 第二十二条); the approving DRC adds the 咨询评估报告 it
    /// commissions (第二十六条) and other material, never the unit's documents that its own approval
    /// rests on.
    public func isSupplied(by type: OrganisationType) -> Bool {
        switch type {
        case .unit: return true
        case .drc: return self == .consultingEvaluation || self == .other
        case .fin, .bdb, .aud, .vendor: return false
        }
    }

    /// 第二十六条: 可研, 初设 and 实施方案 must carry the information-resource sharing chapter.
    public var needsSharingChapter: Bool {
        self == .feasibilityStudy || self == .preliminaryDesign || self == .implementationPlan
    }
}

/// 第二十六条: the three parts of 信息资源共享分析篇(章).
public enum SharingChapterPart: String, Codable, Sendable, CaseIterable {
    case applicationAnalysis  // 信息资源共享应用分析
    case resourceCatalog  // 信息资源目录
    case sharingOpenList  // 数据共享开放清单

    public var chinese: String {
        switch self {
        case .applicationAnalysis: return "信息资源共享应用分析"
        case .resourceCatalog: return "信息资源目录"
        case .sharingOpenList: return "数据共享开放清单"
        }
    }
}

/// A document attached to a project. The bytes live in the content store under `sha256`;
/// the record keeps what rules need to know about them.
public struct DocumentRef: Codable, Sendable, Hashable {
    public var number: Int
    public var kind: DocumentKind
    public var filename: String
    public var contentType: String
    public var sizeBytes: Int64
    public var sha256: String
    public var uploadedBy: UUID
    public var uploadedAt: Instant
    /// For 可研/初设/实施方案: which sharing-chapter parts the document contains.
    public var sharingChapter: Set<SharingChapterPart>
    /// For a consulting evaluation report: which document it evaluates, and whether it gives
    /// an opinion on that document's sharing chapter.
    public var evaluates: DocumentKind?
    public var sharingChapterOpinion: Bool?

    public init(
        number: Int, kind: DocumentKind, filename: String, contentType: String, sizeBytes: Int64,
        sha256: String, uploadedBy: UUID, uploadedAt: Instant, sharingChapter: Set<SharingChapterPart> = [],
        evaluates: DocumentKind? = nil, sharingChapterOpinion: Bool? = nil
    ) {
        self.number = number
        self.kind = kind
        self.filename = filename
        self.contentType = contentType
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
        self.sharingChapter = sharingChapter
        self.evaluates = evaluates
        self.sharingChapterOpinion = sharingChapterOpinion
    }
}
