import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// What the audit record may hold in the clear. An entry about a 涉密 project keeps who, when, which
/// action and the result readable, and stores its summary and before/after diff SM4-sealed
/// (AtRest); a contact phone in any diff is masked. Entries are hashed as stored, so the chain and
/// `audit-verify` need no key.
package enum AuditConfidentiality {
    /// Shown instead of a sealed text to readers who may not open it (the audit administrator).
    static let sealedNotice = "〔涉密项目内容,已加密存储〕"

    /// The event as it is to be stored. Looks up the project's `classified` column, which the
    /// transaction has already written, so every caller of `AuditRecorder.append` is covered.
    static func protect(_ event: AuditEvent, on db: Database) async throws -> AuditEvent {
        if event.concernsClassified { return try sealed(event) }
        guard let projectId = event.projectId,
            let row = try await PlainRows.all(SQLQueryString("SELECT classified FROM projects WHERE id = \(bind: projectId)"), on: db)
                .first,
            try row.bool(0)
        else { return event }
        return try sealed(event)
    }

    /// The event as it is to be stored, for a caller that holds the project as the transaction writes
    /// it (ProjectActionRunner): no lookup, and the sealing can be done before the write lock.
    static func protect(_ event: AuditEvent, classified: Bool) throws -> AuditEvent {
        classified || event.concernsClassified ? try sealed(event) : event
    }

    /// The event of a 涉密 project as stored: summary and diff sealed (zhengxin-bench, which knows the project).
    package static func sealed(_ event: AuditEvent) throws -> AuditEvent {
        var sealed = event
        sealed.summary = try AtRest.seal(event.summary)
        sealed.before = try AtRest.seal(event.before)
        sealed.after = try AtRest.seal(event.after)
        // A refusal's messages quote the project's figures (amounts, names): sealed with the rest.
        if !event.violations.isEmpty { sealed.storedViolations = try AtRest.seal((try? RecordJSON.text(event.violations)) ?? "[]") }
        return sealed
    }

    /// A stored text for a reader entitled to the project (named in it): opened when sealed.
    static func opened(_ stored: String) -> String {
        guard AtRest.isSealed(stored) else { return stored }
        return (try? AtRest.open(stored)) ?? sealedNotice
    }

    /// A stored text for a reader not named in the project: the notice instead of the sealed bytes.
    static func withheld(_ stored: String) -> String {
        AtRest.isSealed(stored) ? sealedNotice : stored
    }

    /// The contact phone inside a project diff (AuditDiff), masked: 138****5678.
    static func maskPersonalData(_ object: inout [String: Any]) {
        guard var responsibility = object["responsibility"] as? [String: Any],
            let phone = responsibility["contactPhone"] as? String
        else { return }
        responsibility["contactPhone"] = PersonalData.maskPhone(phone)
        object["responsibility"] = responsibility
    }
}

extension AuditEntryView {
    /// For a reader of the project's own audit record (named in it, so entitled): sealed texts opened.
    func openingSealed() -> AuditEntryView { mapTexts(AuditConfidentiality.opened) }

    /// For the audit administrator, who is not named in 涉密 projects: sealed texts shown as a notice.
    func withholdingSealed() -> AuditEntryView { mapTexts(AuditConfidentiality.withheld) }

    private func mapTexts(_ f: (String) -> String) -> AuditEntryView {
        var view = self
        view.summary = f(summary)
        view.before = f(before)
        view.after = f(after)
        view.violations = f(violations)
        return view
    }
}
