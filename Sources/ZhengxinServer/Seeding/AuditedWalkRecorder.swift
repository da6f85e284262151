import Foundation
import ZhengxinCore

/// The audit trail of one project walked through the real rules by a seeder (seed-demo, the
/// benchmark generator): for every accepted step, the audit event the server would have written,
/// dated when the step was taken. The seeder chains and stores them afterwards.
package final class AuditedWalkRecorder: @unchecked Sendable {
    package struct Step: Sendable {
        package var event: AuditEvent
        package var at: Instant
    }

    package private(set) var events: [Step] = []
    package let projectId: UUID
    /// The client address the entries carry: the seeder's name.
    package let client: String
    /// Sees every version pair recorded (tests compare the diff with a whole-record one).
    let seen: ((ProjectRecord?, ProjectRecord) -> Void)?

    package init(_ projectId: UUID, client: String, seen: ((ProjectRecord?, ProjectRecord) -> Void)?) {
        self.projectId = projectId
        self.client = client
        self.seen = seen
    }

    package func record(_ action: String, by actor: Actor, at: Instant, before: ProjectRecord?, after: ProjectRecord, summary: String) {
        seen?(before, after)
        let diff = AuditDiff.summarize(before: before, after: after)
        events.append(
            Step(
                event: AuditEvent(
                    actor: actor, action: action, projectId: projectId, result: .accepted, summary: summary,
                    before: diff.before, after: diff.after, clientAddress: client), at: at))
    }
}
