import Fluent
import Foundation
import ZhengxinCore

/// A project row: the whole `ProjectRecord` as JSON, plus the columns lists filter and sort on.
/// `version` rises with every accepted action.
final class ProjectModel: Model, @unchecked Sendable {
    static let schema = "projects"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "unit_id") var unitId: UUID
    @Field(key: "stage") var stage: String
    @Field(key: "plan_year") var planYear: Int
    @Field(key: "total_investment_fen") var totalInvestmentFen: Int64
    @Field(key: "classified") var classified: Bool
    @Field(key: "record") var record: String
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Int64

    init() {}

    init(_ record: ProjectRecord, at now: Instant) throws {
        self.id = record.id
        self.version = 0
        try update(from: record, at: now)
    }

    func update(from record: ProjectRecord, at now: Instant) throws {
        code = record.code
        name = record.name
        unitId = record.unitId
        stage = record.stage.rawValue
        planYear = record.planYear
        totalInvestmentFen = record.totalInvestment.value
        classified = record.classified
        self.record = try RecordCoding.encode(record)
        updatedAt = now.secondsSinceEpoch
    }

    func decoded() throws -> ProjectRecord { try RecordCoding.decode(ProjectRecord.self, record) }
}

/// JSON for records stored in text columns: sorted keys so equal records store equal text.
enum RecordCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
