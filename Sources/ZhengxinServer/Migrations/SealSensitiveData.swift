import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// Seals what databases made before sealing existed hold in the clear: TOTP secrets, 涉密 project
/// records (and their names in the list column), contact phones inside project records, and the
/// signed decisions of 涉密 projects. Audit entries are left as they were: rewriting them would
/// break the hash chain they are kept for.
struct SealSensitiveData: AsyncMigration {
    func prepare(on database: Database) async throws {
        var secrets: Int64 = 0
        for security in try await AccountSecurityModel.query(on: database).all() {
            guard let secret = security.totpSecret, !AtRest.isSealed(secret) else { continue }
            security.totpSecret = try TOTPSecretSealing.seal(secret)
            try await security.save(on: database)
            secrets += 1
        }
        MigrationLog.moved(self, "account_security.totp_secret(加密)", secrets, on: database)
        let sql = database as! any SQLDatabase
        let projects = try await PlainRows.all(
            SQLQueryString("SELECT id, record FROM projects WHERE classified = \(bind: true) OR record LIKE '%contactPhone%'"),
            on: database)
        var classified: Set<UUID> = []
        var sealedProjects: Int64 = 0
        for row in projects where !AtRest.isSealed(try row.text(1)) {
            let record = try ProjectRecordStorage.decode(try row.text(1))
            if record.classified { classified.insert(record.id) }
            let (name, stored) = (ProjectRecordStorage.listedName(record), try ProjectRecordStorage.encode(record))
            try await sql.raw("UPDATE projects SET name = \(bind: name), record = \(bind: stored) WHERE id = \(bind: try row.uuid(0))")
                .run()
            sealedProjects += 1
        }
        MigrationLog.moved(self, "projects.record(加密)", sealedProjects, on: database)
        guard !classified.isEmpty else { return }
        var documents: Int64 = 0
        for signature in try await DecisionSignatureModel.query(on: database).filter(\.$projectId ~~ Array(classified)).all()
        where !AtRest.isSealed(signature.document) {
            signature.document = try AtRest.seal(signature.document)
            try await signature.save(on: database)
            documents += 1
        }
        MigrationLog.moved(self, "decision_signatures.document(加密)", documents, on: database)
    }

    /// Sealed values stay sealed: opening them needs the master key, which a revert must not assume.
    func revert(on database: Database) async throws {}
}
