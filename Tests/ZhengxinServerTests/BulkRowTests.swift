import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore
import ZhengxinCrypto

@testable import ZhengxinBench
@testable import ZhengxinServer

/// BatchInsert writes rows through SQLKit from each model's own column list (BulkRow); these tests
/// hold that list to Fluent's own reading of the model, so a field added without its column fails.
@Suite("Bulk rows")
struct BulkRowTests {
    /// Fluent's input of `model` as (column, value description), sorted by column.
    static func fluentInput<M: Model>(_ model: M) -> [String: String] {
        let columns = ModelColumns()
        model.input(to: columns)
        return Dictionary(
            uniqueKeysWithValues: columns.values.map { key, value in
                switch value {
                case .bind(let v): return (key.description, String(describing: v))
                default: return (key.description, "NULL")
                }
            })
    }

    static func bulkInput<M: BulkRow>(_ model: M) -> [String: String] {
        #expect(M.bulkColumns.count == model.bulkValues.count)
        return Dictionary(
            uniqueKeysWithValues: zip(M.bulkColumns, model.bulkValues).map { key, value in
                let mirror = Mirror(reflecting: value)
                guard mirror.displayStyle == .optional else { return (key, String(describing: value)) }
                return (key, mirror.children.first.map { String(describing: $0.value) } ?? "NULL")
            })
    }

    /// Fluent leaves an optional field never set out of its input (the column's default, NULL, is
    /// written); the bulk row writes NULL for it.
    static func expectSame<M: BulkRow & Model>(_ model: M) {
        var fluent = fluentInput(model)
        for column in M.bulkColumns where fluent[column] == nil { fluent[column] = "NULL" }
        #expect(bulkInput(model) == fluent)
    }

    static func models(orgs: BenchOrganisations = BenchOrganisations(seed: 11, units: 1, passwordHash: "x")) throws
        -> (ProjectRow, AuditEntryModel, ReminderModel, ReminderModel)
    {
        // The walk seals personal data as configure() would; alone (no application configured in this
        // process yet) there is no master key, so one is installed unless a test already did.
        if (try? AtRest.current()) == nil { AtRest.install(try AtRestKeys(master: try secureRandomBytes(16))) }
        let walked = try BenchWalk.walk(
            BenchPlan.draw(index: 3, seed: 11, units: orgs.unitNames, today: SeedBenchTests.today),
            id: UUID(), orgs: orgs,
            store: DocumentStore(root: NSTemporaryDirectory() + "zx-bulk-\(UUID())"))
        let project = try ProjectRow(walked.record, policy: .zhengzhou2020, at: SeedBenchTests.now())
        let entry = AuditRecorder.chained(walked.events[0].event, at: walked.events[0].at, id: UUID(), seq: 1, after: AuditRecorder.genesis)
        let deadline = Deadline(
            kind: .acceptanceDeadline, ref: "r", dueOn: SeedBenchTests.today, status: .upcoming, audience: [.unit, .drc],
            rule: "R-X", article: "第一条", message: "m")
        let open = ReminderModel(deadline, projectId: walked.record.id, unitId: walked.record.unitId, raisedAt: SeedBenchTests.now())
        open.id = UUID()
        var other = deadline
        other.ref = "s"
        let resolved = ReminderModel(other, projectId: walked.record.id, unitId: walked.record.unitId, raisedAt: SeedBenchTests.now())
        resolved.id = UUID()
        resolved.resolvedAt = 5
        return (project, entry, open, resolved)
    }

    @Test("chunks: in order, none larger than the size, the last one short; empty gives none")
    func chunks() {
        #expect([Int]().chunks(of: 3).isEmpty)
        #expect([1, 2, 3].chunks(of: 3).map(Array.init) == [[1, 2, 3]])
        #expect([1, 2, 3, 4, 5, 6, 7].chunks(of: 3).map(Array.init) == [[1, 2, 3], [4, 5, 6], [7]])
    }

    @Test("each Fluent model's bulk columns and values are exactly what Fluent would insert for it")
    func sameAsFluent() throws {
        let (_, entry, open, resolved) = try Self.models()
        Self.expectSame(entry)
        Self.expectSame(open)
        Self.expectSame(resolved)
        // Every property Fluent knows of the model is a column of the bulk row, set or not.
        #expect(
            Set(AuditEntryModel.bulkColumns)
                == Set(AuditEntryModel().properties.compactMap { ($0 as? any AnyDatabaseProperty)?.keys.first?.description }))
        #expect(
            Set(ReminderModel.bulkColumns)
                == Set(ReminderModel().properties.compactMap { ($0 as? any AnyDatabaseProperty)?.keys.first?.description }))
    }

    @Test("rows written by BatchInsert read back through Fluent field for field; a row without an id is refused", arguments: Backend.all)
    func roundTrip(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: SeedBenchTests.now) { app in
                let orgs = BenchOrganisations(seed: 11, units: 1, passwordHash: "x")
                let (project, entry, open, resolved) = try Self.models(orgs: orgs)
                try await app.db.transaction { db in
                    try await orgs.save(on: db)
                    try await BatchInsert.create(project, on: db)
                    try await BatchInsert.create(entry, on: db)
                    try await BatchInsert.create([open, resolved], on: db)
                }
                // A project row reads back as written, column for column (it has no Fluent model to compare with).
                #expect(try await ProjectRow.find(project.id, on: app.db) == project)
                #expect(try await ProjectRow.find(project.id, record: false, on: app.db)?.record == nil)
                let e = try #require(try await AuditEntryModel.find(entry.id, on: app.db))
                #expect(Self.bulkInput(e) == Self.bulkInput(entry))
                let o = try #require(try await ReminderModel.find(open.id, on: app.db))
                #expect(o.resolvedAt == nil)
                #expect(Self.bulkInput(o) == Self.bulkInput(open))
                let r = try #require(try await ReminderModel.find(resolved.id, on: app.db))
                #expect(Self.bulkInput(r) == Self.bulkInput(resolved))
                let nameless = ReminderModel(
                    .init(
                        kind: .acceptanceDeadline, ref: "x", dueOn: SeedBenchTests.today, status: .upcoming, audience: [.unit],
                        rule: "R", article: "第一条", message: "m"), projectId: UUID(), unitId: UUID(), raisedAt: SeedBenchTests.now())
                await #expect(throws: BulkRowWithoutID.self) { try await BatchInsert.create(nameless, on: app.db) }
            }
        }
    }
}

/// A model's columns as Fluent would write them (`Model.input(to:)`): only the fields set since it
/// was loaded, as `update(on:)` writes them.
final class ModelColumns: DatabaseInput {
    private(set) var values: [(FieldKey, DatabaseQuery.Value)] = []

    func set(_ value: DatabaseQuery.Value, at key: FieldKey) { values.append((key, value)) }
}
