import Foundation

/// R-SUP-1 (第三十五条): 催办. An agency that supervises the project (项目审批部门、市财政局、市大数据局、
/// 市审计局) chases the unit about a matter it is waiting on; the unit, bound to 如实提供建设项目有关资料
/// 和情况, answers it. The chasing is on the project's record, so its history shows who waited on what.
public enum UrgeUnit: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var matter: String
        public var message: String
        public var answerBy: CivilDate?
    }
    public static let spec = ActionSpec(
        "urge-unit", "催办", actors: Supervision.agencies, stages: Supervision.stages, rule: "R-SUP-1", article: "第三十五条")
    /// Unanswered 催办 a project may carry: enough for every agency several times over, not a flood
    /// of mail to the unit.
    public static let maximumUnanswered = 20

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.supervision.unansweredUrges.count < maximumUnanswered
            ? []
            : [Violation(rule: "R-SUP-1", article: "第三十五条", message: "本项目已有\(maximumUnanswered)件催办尚未答复,请待项目单位答复后再催办")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.matter, "matter", max: 200) { c.add(v) }
        if let v = Fields.text(x.message, "message", max: 2000) { c.add(v) }
        if let by = x.answerBy {
            c.require(by > ctx.today, .input("answerBy", "答复期限应晚于今天(\(ctx.today.chinese))"))
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let number = (p.supervision.urges.map(\.number).max() ?? 0) + 1
        p.supervision.urges.append(
            Urge(
                number: number, agency: ctx.actor.organisationType, agencyOrganisationId: ctx.actor.organisationId,
                matter: x.matter, message: x.message, answerBy: x.answerBy, urgedOn: ctx.today))
        let by = x.answerBy.map { ",请于\($0.chinese)前答复" } ?? ""
        return "\(ctx.actor.organisationType.chinese)催办第\(number)号「\(x.matter)」\(by)"
    }
}

/// R-SUP-1 (第三十五条): the unit answers a 催办, once.
public enum AnswerUrge: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var urgeNumber: Int
        public var answer: String
    }
    public static let spec = ActionSpec(
        "answer-urge", "答复催办", actors: [.unit], stages: Supervision.stages, rule: "R-SUP-1", article: "第三十五条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.supervision.unansweredUrges.isEmpty ? [Violation(rule: "R-SUP-1", article: "第三十五条", message: "没有待答复的催办")] : []
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.answer, "answer", max: 5000) { c.add(v) }
        if let urge = p.supervision.urge(x.urgeNumber) {
            c.require(urge.answer == nil, .input("urgeNumber", "催办\(x.urgeNumber)已于\(urge.answer?.answeredOn.chinese ?? "")答复"))
        } else {
            c.add(.input("urgeNumber", "催办\(x.urgeNumber)不存在"))
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        guard let i = p.supervision.urges.firstIndex(where: { $0.number == x.urgeNumber }) else { return "" }
        p.supervision.urges[i].answer = UrgeAnswer(text: x.answer, answeredOn: ctx.today)
        let urge = p.supervision.urges[i]
        let late = urge.answerBy.map { ctx.today > $0 ? "(晚于答复期限\(urge.answerBy!.chinese))" : "" } ?? ""
        return "项目单位答复\(urge.agency.chinese)催办第\(urge.number)号「\(urge.matter)」\(late)"
    }
}
