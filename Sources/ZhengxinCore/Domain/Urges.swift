import Foundation

/// 催办 (第三十五条): an agency that supervises the project chases the unit about a matter it is
/// waiting on (a document, a report, an answer), optionally by a date; the unit answers once, which
/// is its 如实提供建设项目有关资料和情况. Numbered 1… across the project.
public struct Urge: Codable, Sendable, Hashable {
    public var number: Int
    public var agency: OrganisationType
    public var agencyOrganisationId: UUID
    /// What is pending, in a line (催办事项).
    public var matter: String
    public var message: String
    /// The date the agency asks the answer by, if it names one.
    public var answerBy: CivilDate?
    public var urgedOn: CivilDate
    public var answer: UrgeAnswer?

    public init(
        number: Int, agency: OrganisationType, agencyOrganisationId: UUID, matter: String, message: String,
        answerBy: CivilDate?, urgedOn: CivilDate, answer: UrgeAnswer? = nil
    ) {
        self.number = number
        self.agency = agency
        self.agencyOrganisationId = agencyOrganisationId
        self.matter = matter
        self.message = message
        self.answerBy = answerBy
        self.urgedOn = urgedOn
        self.answer = answer
    }
}

/// The unit's answer to a 催办.
public struct UrgeAnswer: Codable, Sendable, Hashable {
    public var text: String
    public var answeredOn: CivilDate

    public init(text: String, answeredOn: CivilDate) {
        self.text = text
        self.answeredOn = answeredOn
    }
}
