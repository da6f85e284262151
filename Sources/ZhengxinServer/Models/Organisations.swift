import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// Every organisation's id, name and type, in name order: what the pages and reports need of them on
/// every request, read by position (PlainRows) (Fluent fills each model by reflection, too slow
/// for a read every project page makes).
enum Organisations {
    struct Row: Sendable, Hashable {
        var id: UUID
        var name: String
        var type: String
    }

    static func all(on db: Database) async throws -> [Row] {
        try await PlainRows.all(SQLQueryString("SELECT id, name, type FROM organisations ORDER BY name"), on: db).map { row in
            Row(id: try row.uuid(0), name: try row.text(1), type: try row.text(2))
        }
    }

    /// The project units (项目单位) alone, in name order.
    static func units(on db: Database) async throws -> [Row] {
        try await all(on: db).filter { $0.type == OrganisationType.unit.rawValue }
    }
}
