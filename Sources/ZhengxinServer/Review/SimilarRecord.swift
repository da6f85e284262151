import Foundation
import ZhengxinCore

/// The part of a project record 查重 reads and shows. An ordinary record is decoded only for these
/// keys: decoding 200 whole ProjectRecords (about 5 KB of JSON each) took 0.27–0.37 s of a 0.4 s
/// preselection in a debug build at 5,000 projects, these fields alone 0.08–0.09 s.
struct SimilarRecord: Decodable, Sendable {
    var id: UUID
    var code: String
    var name: String
    var unitId: UUID
    var stage: Stage
    var planYear: Int
    var content: String
    var goals: String
    var classified: Bool
    var classifiedAccess: [UUID]
    var ownInfrastructure: OwnInfrastructure?

    init(_ r: ProjectRecord) {
        (id, code, name, unitId, stage, planYear) = (r.id, r.code, r.name, r.unitId, r.stage, r.planYear)
        (content, goals, classified, classifiedAccess, ownInfrastructure) = (
            r.content, r.goals, r.classified, r.classifiedAccess, r.ownInfrastructure
        )
    }

    /// A stored record: a sealed one (涉密) is opened whole by ProjectRecordStorage.
    static func decode(_ stored: String) throws -> SimilarRecord {
        if AtRest.isSealed(stored) { return SimilarRecord(try ProjectRecordStorage.decode(stored)) }
        return try RecordJSON.decode(SimilarRecord.self, from: stored)
    }
}
