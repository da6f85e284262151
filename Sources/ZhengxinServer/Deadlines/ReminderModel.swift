import Fluent
import Foundation
import ZhengxinCore

/// A reminder or overdue mark raised by the deadline scan. `key` identifies it, so the scan
/// raises nothing twice; `resolvedAt` is set when the deadline no longer stands.
package final class ReminderModel: Model, @unchecked Sendable {
    package static let schema = "reminders"

    @ID(key: .id) package var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "project_id") var projectId: UUID
    @Field(key: "unit_id") var unitId: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "ref") var ref: String
    @Field(key: "due_on") var dueOn: String
    @Field(key: "status") var status: String
    /// Comma-separated organisation types that must act or know.
    @Field(key: "audience") var audience: String
    @Field(key: "rule") var rule: String
    @Field(key: "article") var article: String
    @Field(key: "message") var message: String
    @Field(key: "raised_at") var raisedAt: Int64
    @OptionalField(key: "resolved_at") var resolvedAt: Int64?

    package init() {}

    /// The reminder the scan raises for `d` (the key is the scanner's, so it is raised once).
    package convenience init(_ d: Deadline, projectId: UUID, unitId: UUID, raisedAt now: Instant) {
        self.init()
        key = DeadlineScanner.key(projectId, d)
        self.projectId = projectId
        self.unitId = unitId
        kind = d.kind.rawValue
        ref = d.ref
        dueOn = d.dueOn.description
        status = d.status.rawValue
        audience = d.audience.map(\.rawValue).sorted().joined(separator: ",")
        rule = d.rule
        article = d.article
        message = d.message
        raisedAt = now.secondsSinceEpoch
    }
}

extension ReminderModel {
    /// The message as a reader named on the project reads it: a 涉密 project's is stored sealed
    /// (DeadlineSweep); one that no longer opens reads as empty rather than as ciphertext.
    static func readable(_ stored: String) -> String {
        AtRest.isSealed(stored) ? ((try? AtRest.open(stored)) ?? "") : stored
    }
}

extension ReminderModel: BulkRow {
    package static let bulkColumns = [
        "id", "key", "project_id", "unit_id", "kind", "ref", "due_on", "status", "audience", "rule", "article",
        "message", "raised_at", "resolved_at",
    ]
    package var bulkValues: [any Encodable & Sendable] {
        [id, key, projectId, unitId, kind, ref, dueOn, status, audience, rule, article, message, raisedAt, resolvedAt]
    }
}

/// One row per Beijing day on which the daily scan ran: the unique day makes the scan run once
/// a day however many server processes share the database.
final class ScanRunModel: Model, @unchecked Sendable {
    static let schema = "scan_runs"

    @ID(custom: "day", generatedBy: .user) var id: String?
    @Field(key: "started_at") var startedAt: Int64

    init() {}
    init(day: String, startedAt: Int64) {
        self.id = day
        self.startedAt = startedAt
    }
}
