import ZhengxinCore

/// What `action-help.leaf` draws beside an action's form, from the core's `ActionGuidance`: the
/// sentence of the Measures the action rests on, one example line, and the documents the rules ask
/// to be attached first, each marked required and whether the project already has it.
struct ActionHelp: Encodable, Sendable {
    struct RequiredDocument: Encodable, Sendable {
        var kind: String
        var onFile: Bool
    }
    var article: String
    var articleText: String
    var example: String?
    var documents: [RequiredDocument]
    var hasDocuments: Bool

    static func of(_ action: String, _ record: ProjectRecord, _ policy: Policy) -> ActionHelp? {
        guard let g = ActionGuidance.for(action: action) else { return nil }
        let documents = ActionGuidance.requiredDocuments(action: action, for: record, policy).map {
            RequiredDocument(kind: $0.chinese, onFile: !record.documents(of: $0).isEmpty)
        }
        return ActionHelp(
            article: g.article, articleText: g.articleText, example: g.example,
            documents: documents, hasDocuments: !documents.isEmpty)
    }
}
