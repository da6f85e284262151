import Foundation
import ZhengxinCore

/// One organisation's waiting matters on one project as `project_waiting` keeps them
/// (CreateProjectWaiting): the rules' answer (WaitingOwners) when the project was written or the
/// daily scan last visited it, so a home page reads its queue from an index instead of judging
/// candidates. `since` is when these kinds of matter began to wait; the queue is oldest first.
///
/// A 涉密 project's line (its name, and titles that may quote its record) rests sealed like its
/// record and is opened only for a reader whose scope names the project.
package struct ProjectWaitingRow: Sendable, Equatable {
    /// What the home page shows for the project: enough to draw the line without the record.
    package struct Line: Codable, Sendable, Equatable {
        var code: String
        var name: String
        var stage: String
        var matters: [PendingMatter]
    }

    var projectId: UUID
    /// The organisation type the matters wait on (OrganisationType's raw value).
    var owner: String
    /// The one organisation they wait on (a finding's review), "" for any of `owner`'s.
    var organisation: String
    var unitId: UUID
    var classified: Bool
    var line: Line

    var key: Key { Key(owner: owner, organisation: organisation) }
    struct Key: Hashable { var owner: String, organisation: String }

    static let table = "project_waiting"
    static let columns = ["project_id", "owner_type", "owner_org", "unit_id", "classified", "since", "line"]

    /// Every row the project's record makes today.
    package static func rows(_ record: ProjectRecord, policy: Policy, now: Instant) -> [ProjectWaitingRow] {
        WaitingOwners.of(record, policy: policy, now: now).map { entry in
            ProjectWaitingRow(
                projectId: record.id, owner: entry.owner.rawValue, organisation: entry.organisationId.map(UUIDText.string) ?? "",
                unitId: record.unitId, classified: record.classified,
                line: Line(code: record.code, name: record.name, stage: record.stage.rawValue, matters: entry.matters))
        }
    }

    /// The values of `columns`, the line sealed for a 涉密 project.
    func values(since: Int64) throws -> [any Encodable & Sendable] {
        [projectId, owner, organisation, unitId, classified, since, try Self.storedLine(line, classified: classified)]
    }

    static func storedLine(_ line: Line, classified: Bool) throws -> String {
        let json = String(decoding: try RecordJSON.encode(line), as: UTF8.self)
        return classified ? try AtRest.seal(json) : json
    }

    static func line(_ stored: String) throws -> Line {
        try RecordJSON.decode(Line.self, from: AtRest.isSealed(stored) ? try AtRest.open(stored) : stored)
    }
}
