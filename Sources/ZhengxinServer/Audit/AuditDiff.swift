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
        let encoder = RecordJSON.encoder()  // the changed fields' JSON
        var beforeOut = "{", afterOut = "{", first = true
        for field in ProjectRecordField.all {
            guard let change = field.change(before, after, encoder) else { continue }
            if !first { beforeOut += ","; afterOut += "," }
            first = false
            beforeOut += "\"\(field.key)\":" + change.before
            afterOut += "\"\(field.key)\":" + change.after
        }
        return (beforeOut + "}", afterOut + "}")
    }
}
