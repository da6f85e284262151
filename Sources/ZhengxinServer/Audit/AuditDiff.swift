import Foundation
import ZhengxinCore

/// Before/after summary of a project: the top-level fields that changed; for lists that only
/// grew, the count before and the items added.
///
/// Field by field (`ProjectRecordField.all`): compared with the field's own `==` and encoded only when
/// it changed, so a step costs what it changed rather than the whole record: encoding both records
/// whole, parsing them back and re-serialising the changed parts was the larger part of every accepted
/// action. A changed field is written by RecordJSON's encoder.
enum AuditDiff {
    static func summarize(before: ProjectRecord?, after: ProjectRecord?) -> (before: String, after: String) {
        ProjectRecordField.changes(of: ProjectRecordField.all, before, after, RecordJSON.encoder())
    }
}
