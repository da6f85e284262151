import Foundation
import ZhengxinCore

/// The part of a project 查重 reads and shows: the name and the texts it compares, and what a match
/// shows of the project. An ordinary candidate is read from its project's columns and its review
/// texts (ProjectReviewText), never from its record.
struct SimilarRecord: Sendable {
    var id: UUID
    var code: String
    var name: String
    var unitId: UUID
    var stage: Stage
    var planYear: Int
    var content: String
    var goals: String
    /// The infrastructure it plans of its own, as one text (ProjectReviewText.infrastructure).
    var infrastructure: String
    var classified: Bool
    var classifiedAccess: [UUID]

    init(_ r: ProjectRecord) {
        (id, code, name, unitId, stage, planYear) = (r.id, r.code, r.name, r.unitId, r.stage, r.planYear)
        (content, goals, classified, classifiedAccess) = (r.content, r.goals, r.classified, r.classifiedAccess)
        infrastructure = ProjectReviewText.infrastructure(r.ownInfrastructure)
    }

    /// An ordinary project read with SimilarCandidates.openTexts: its columns, then its review texts.
    init(openRow row: PlainRows.Row) throws {
        guard let stage = Stage(rawValue: try row.text(4)) else { throw UnknownStage() }
        (id, code, name, unitId, self.stage, planYear) = (
            try row.uuid(0), try row.text(1), try row.text(2), try row.uuid(3), stage, try row.int(5)
        )
        (content, goals, infrastructure) = (try row.text(6), try row.text(7), try row.text(8))
        (classified, classifiedAccess) = (false, [])
    }

    struct UnknownStage: Error {}
}
