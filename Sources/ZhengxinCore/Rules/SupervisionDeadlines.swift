import Foundation

/// R-SUP-1 (第三十六条 限期整改): the rectification deadlines still running on a project, for the
/// daily deadline scan and the agencies' lists. Pure: the caller says what day it is.
public enum SupervisionDeadlines {
    /// One finding not yet settled (neither closed nor escalated).
    public struct OpenFinding: Codable, Sendable, Hashable {
        public var projectId: UUID
        public var findingNumber: Int
        public var oversightNumber: Int
        public var agency: OrganisationType
        public var agencyOrganisationId: UUID
        public var description: String
        /// The last day for rectification.
        public var deadline: CivilDate
        public var status: FindingStatus
        /// Waiting for the unit: no rectification report yet.
        public var awaitingReport: Bool
        /// Waiting for the agency: the unit has reported, the agency has not closed or escalated.
        public var awaitingReview: Bool
        /// No report and `today` is after the deadline (拒不整改). The deadline day itself is on time.
        public var overdue: Bool
        /// Days past the deadline when overdue, else 0.
        public var daysOverdue: Int
        /// Days left up to and including the deadline (0 on the deadline day), negative once past.
        public var daysRemaining: Int
    }

    /// Open and reported findings, earliest deadline first (then by number).
    public static func openFindings(_ project: ProjectRecord, today: CivilDate) -> [OpenFinding] {
        project.supervision.findings
            .filter { $0.status == .open || $0.status == .reported }
            .sorted { ($0.deadline, $0.number) < ($1.deadline, $1.number) }
            .map { f in
                let remaining = f.deadline.daysSinceEpoch - today.daysSinceEpoch
                let overdue = f.isOverdueUnanswered(today: today)
                return OpenFinding(
                    projectId: project.id, findingNumber: f.number, oversightNumber: f.oversightNumber,
                    agency: f.agency, agencyOrganisationId: f.agencyOrganisationId, description: f.description,
                    deadline: f.deadline, status: f.status, awaitingReport: f.status == .open,
                    awaitingReview: f.status == .reported, overdue: overdue,
                    daysOverdue: overdue ? -remaining : 0, daysRemaining: remaining)
            }
    }
}
