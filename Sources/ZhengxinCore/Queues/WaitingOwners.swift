import Foundation

/// Who a project waits on, answered once when the project is written so that a home page reads its
/// queue instead of judging every candidate (待本部门办理 / 待本单位办理): for each organisation type
/// that owns matters (MatterKind), what waits on any staff member of it — for a unit, of the
/// project's own unit (第三条) — and, apart, each supervision finding's review for the one agency
/// that raised it (第三十六条). Visibility (涉密, R-CON-5) is left to the reader's scope.
///
/// The answer depends on the day only through the conditions' dates, which DeadlineHorizon already
/// names (the declaration deadline, the end of the trial run, the acceptance window, findings'
/// deadlines, a draft's policy); a project is judged again when it is written and when the daily
/// scan visits it on those days.
public enum WaitingOwners {
    public struct Entry: Equatable, Sendable {
        public var owner: OrganisationType
        /// The one organisation the matters wait on (a finding's review), nil for any of `owner`'s.
        public var organisationId: UUID?
        public var matters: [PendingMatter]
    }

    /// Stands in for "any organisation of the type": no finding names it.
    static let anyOrganisation = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    public static func of(_ p: ProjectRecord, policy: Policy, now: Instant) -> [Entry] {
        var entries: [Entry] = []
        for owner in OrganisationType.allCases where !MatterKind.owned(by: owner).isEmpty {
            let generic = owner == .unit ? p.unitId : anyOrganisation
            let matters = PendingMatters.owed(p, context(owner, generic, policy: policy, now: now))
            if !matters.isEmpty { entries.append(Entry(owner: owner, organisationId: nil, matters: matters)) }
            guard Supervision.agencies.contains(owner) else { continue }
            var raisers: [UUID] = []
            for f in p.supervision.findings where f.agency == owner && !raisers.contains(f.agencyOrganisationId) {
                raisers.append(f.agencyOrganisationId)
            }
            for agency in raisers {
                let own = PendingMatters.owed(p, context(owner, agency, policy: policy, now: now)).filter { $0.kind == .findingReview }
                if !own.isEmpty { entries.append(Entry(owner: owner, organisationId: agency, matters: own)) }
            }
        }
        return entries
    }

    private static func context(_ owner: OrganisationType, _ organisation: UUID, policy: Policy, now: Instant) -> DecisionContext {
        let actor = Actor(
            userId: anyOrganisation, displayName: "", organisationId: organisation, organisationType: owner, roles: [.staff],
            jurisdiction: policy.jurisdiction)
        return DecisionContext(actor: actor, now: now, policy: policy)
    }
}
