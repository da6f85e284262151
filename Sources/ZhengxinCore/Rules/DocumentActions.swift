import Foundation

enum DocumentActions {
    static let all: [AnyActionRule] = [AnyActionRule(AttachDocument.self)]
}

/// Attaching a document. The server stores the bytes by SHA-256 first and passes their facts here.
public enum AttachDocument: ProjectActionRule {
    public struct Payload: Codable, Sendable {
        public var kind: DocumentKind
        public var filename: String
        public var contentType: String
        public var sizeBytes: Int64
        public var sha256: String
        public var sharingChapter: Set<SharingChapterPart>?
        public var evaluates: DocumentKind?
        public var sharingChapterOpinion: Bool?

        public init(
            kind: DocumentKind, filename: String, contentType: String, sizeBytes: Int64, sha256: String,
            sharingChapter: Set<SharingChapterPart>? = nil, evaluates: DocumentKind? = nil, sharingChapterOpinion: Bool? = nil
        ) {
            self.kind = kind
            self.filename = filename
            self.contentType = contentType
            self.sizeBytes = sizeBytes
            self.sha256 = sha256
            self.sharingChapter = sharingChapter
            self.evaluates = evaluates
            self.sharingChapterOpinion = sharingChapterOpinion
        }
    }
    public static let spec = ActionSpec(
        "attach-document", "上传文档", actors: [.unit, .drc],
        stages: Set(Stage.allCases).subtracting([.terminated, .withdrawn, .rejected]), rule: "R-APP-1", article: "第八条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.filename, "filename", max: 255) { c.add(v) }
        c.require(x.sha256.count == 64 && x.sha256.allSatisfy(\.isHexDigit), .input("sha256", "内容摘要无效"))
        c.require(x.sizeBytes > 0, .input("file", "文件内容为空"))
        c.require(
            x.kind.isSupplied(by: ctx.actor.organisationType), rule: "R-APP-1", article: "第三条",
            "「\(x.kind.chinese)」由项目单位编制报送,市发展改革委可上传咨询评估报告和其他材料", field: "kind")
        if x.kind == .consultingEvaluation {
            c.require(
                x.evaluates?.needsSharingChapter == true || x.evaluates == .projectProposal,
                .input("evaluates", "咨询评估报告须指明所评估的文件(项目建议书、可行性研究报告、初步设计或实施方案)"))
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let number = (p.documents.map(\.number).max() ?? 0) + 1
        p.documents.append(
            DocumentRef(
                number: number, kind: x.kind, filename: x.filename, contentType: x.contentType, sizeBytes: x.sizeBytes,
                sha256: x.sha256, uploadedBy: ctx.actor.userId, uploadedAt: ctx.now,
                sharingChapter: x.kind.needsSharingChapter ? (x.sharingChapter ?? []) : [],
                evaluates: x.kind == .consultingEvaluation ? x.evaluates : nil,
                sharingChapterOpinion: x.kind == .consultingEvaluation ? x.sharingChapterOpinion : nil))
        return "上传「\(x.kind.chinese)」\(x.filename)(\(x.sizeBytes)字节,SHA-256 \(x.sha256.prefix(12))…)"
    }
}
