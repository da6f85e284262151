import Foundation

/// 第六条, 第七条: a unit declares several projects at once from the template workbook. Every row is
/// read and checked by the same rules as the declaration form (ProjectDraft.check, ProjectCreation);
/// the batch is taken whole or not at all, so the answer lists every failing row and field.
public enum ProjectBatch {
    /// Rows one batch may hold: a year's declarations of one unit fit with room to spare.
    public static let maxRows = 500

    /// One column of the template: the ProjectDraft field it fills, its Chinese title, the article
    /// that governs it, what it takes, and the labels a drop-down offers (empty for free text).
    public struct Column: Sendable, Hashable {
        public var field: String
        public var title: String
        public var article: String
        public var required: Bool
        public var help: String
        public var choices: [String]
    }

    static let yesNo = ["是", "否"]

    public static let columns: [Column] = [
        Column(field: "name", title: "项目名称", article: "第七条", required: true, help: "项目名称,不超过200字", choices: []),
        Column(
            field: "source", title: "项目来源", article: "第六条", required: true, help: "从下拉列表选择",
            choices: ProjectSource.allCases.map(\.chinese)),
        Column(field: "planYear", title: "计划年度", article: "第七条", required: true, help: "四位年份,2000至2100,如 2027", choices: []),
        Column(
            field: "category", title: "项目类别", article: "第二条", required: true, help: "从下拉列表选择",
            choices: ProjectCategory.allCases.map(\.chinese)),
        Column(
            field: "totalInvestmentFen", title: "总投资(元)", article: "第九条", required: true,
            help: "以元为单位,大于零,最多两位小数(到分),如 1234567.89;也可写“123.5万”", choices: []),
        Column(field: "content", title: "建设内容", article: "第七条", required: true, help: "建设内容,不超过20000字", choices: []),
        Column(field: "goals", title: "建设目标", article: "第七条", required: true, help: "建设目标,不超过20000字", choices: []),
        Column(field: "classified", title: "是否涉密", article: "第十七条", required: false, help: "是或否,留空为否", choices: yesNo),
        Column(
            field: "simpleContentRequested", title: "申请简化内容", article: "第九条", required: false,
            help: "是否申请按建设内容单一、技术方案简单办理:是或否,留空为否", choices: yesNo),
        Column(
            field: "ownInfrastructure.items", title: "自建基础设施", article: "第二十七条", required: false,
            help: "不使用政务云而单独建设的机房、网络、存储、计算资源等,以顿号或逗号分隔;不自建则留空", choices: []),
        Column(
            field: "ownInfrastructure.justification", title: "自建必要性说明", article: "第二十七条", required: false,
            help: "自建基础设施的必要性说明,不自建则留空", choices: []),
        Column(
            field: "ownInfrastructure.sharingPlan", title: "自建共享方案", article: "第二十七条", required: false,
            help: "自建基础设施如何共享、统筹,不自建则留空", choices: []),
        Column(
            field: "nationalCode", title: "全国投资项目代码", article: "第七条", required: false, help: "24位字符(数字、字母和横线),没有则留空",
            choices: []),
    ]

    /// One worksheet row: its number as the sheet shows it and each column's text by field.
    public struct Row: Sendable {
        public var number: Int
        public var cells: [String: String]

        public init(number: Int, cells: [String: String]) {
            self.number = number
            self.cells = cells
        }
    }

    public enum Refusal: Error, Sendable {
        case forbidden(String)
        /// Every failing field of every failing row, each field named `rows[N].field`.
        case refused([Violation])
    }

    /// The field of a row's violation as the answer names it.
    public static func field(row: Int, _ field: String) -> String { "rows[\(row)].\(field)" }

    /// The drafts in row order when every row passes; otherwise every failing row and field. Rows are
    /// checked as ProjectCreation checks one draft, with the actor's right to declare checked first.
    public static func check(_ rows: [Row], _ ctx: DecisionContext) -> Result<[ProjectDraft], Refusal> {
        if let reason = ProjectCreation.forbiddenReason(ctx.actor) { return .failure(.forbidden(reason)) }
        var drafts: [ProjectDraft] = []
        var violations: [Violation] = []
        for row in rows {
            let (draft, unread) = read(row)
            // The same screen as a JSON body's (PayloadScreening): a workbook is not JSON, and a cell
            // could carry a bidi override or a C1 control into a name the form would have refused.
            var found =
                unread
                + row.cells.keys.sorted().filter { PayloadScreening.holdsForbidden(row.cells[$0]!) }
                .map { PayloadScreening.refusal(field: $0, name: "") }
            // A field that could not be read holds a placeholder: its own reading error says what is wrong.
            let unreadFields = Set(unread.compactMap(\.field))
            found += draft.check(ctx).filter { !unreadFields.contains($0.field ?? "") }
            if found.isEmpty { drafts.append(draft) }
            violations += found.map { located($0, row: row.number) }
        }
        return violations.isEmpty ? .success(drafts) : .failure(.refused(violations))
    }

    /// A violation of one row: the field prefixed with the row, the column's title in the message
    /// instead of the field's code, and the governing article of the column where the rule gives none.
    static func located(_ v: Violation, row: Int) -> Violation {
        let name = v.field ?? ""
        let column = columns.first { $0.field == name } ?? columns.first { name.hasPrefix($0.field) }
        var out = v
        out.field = field(row: row, name)
        if let column {
            out.message = "第\(row)行「\(column.title)」: " + v.message.replacingOccurrences(of: "字段「\(name)」", with: "")
            if out.article == nil { out.article = column.article }
        } else {
            out.message = "第\(row)行: " + v.message
        }
        return out
    }

    /// A row's text as a draft, with a reading error for each field that is not what its column takes.
    static func read(_ row: Row) -> (ProjectDraft, [Violation]) {
        var errors: [Violation] = []
        func text(_ field: String) -> String { (row.cells[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        func choice<T>(_ field: String, _ options: [T], _ label: (T) -> String, placeholder: T) -> T {
            let value = text(field)
            if let found = options.first(where: { label($0) == value }) { return found }
            let allowed = options.map(label).joined(separator: "、")
            // The cell is quoted only in part: a refusal must not grow with what was typed.
            let quoted = value.count > 30 ? String(value.prefix(30)) + "…" : value
            errors.append(.input(field, value.isEmpty ? "请选择(\(allowed))" : "「\(quoted)」不是可选的值,应为: \(allowed)"))
            return placeholder
        }
        func flag(_ field: String) -> Bool? {
            switch text(field) {
            case "": return nil
            case "是": return true
            case "否": return false
            default:
                errors.append(.input(field, "应填“是”或“否”"))
                return nil
            }
        }
        let source = choice("source", ProjectSource.allCases, \.chinese, placeholder: .unitDeclaration)
        let category = choice("category", ProjectCategory.allCases, \.chinese, placeholder: .businessSystem)
        var planYear = 2000
        if let year = Int(text("planYear")) { planYear = year } else { errors.append(.input("planYear", "应为四位年份,如 2027")) }
        var fen: Int64 = 1
        switch Fen.parsing(text("totalInvestmentFen")) {
        case .success(let amount): fen = amount.value
        case .failure(let refusal): errors.append(.input("totalInvestmentFen", refusal.message))
        }
        let items = text("ownInfrastructure.items")
            .split(whereSeparator: { "、,,;;\n".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let justification = text("ownInfrastructure.justification"), plan = text("ownInfrastructure.sharingPlan")
        var own: OwnInfrastructure?
        if !items.isEmpty || !justification.isEmpty || !plan.isEmpty {
            own = OwnInfrastructure(items: items, justification: justification, sharingPlan: plan)
        }
        let code = text("nationalCode")
        let draft = ProjectDraft(
            name: text("name"), source: source, planYear: planYear, category: category, totalInvestmentFen: fen,
            content: text("content"), goals: text("goals"), classified: flag("classified"),
            simpleContentRequested: flag("simpleContentRequested"), ownInfrastructure: own, nationalCode: code.isEmpty ? nil : code)
        return (draft, errors)
    }
}
