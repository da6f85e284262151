import Fluent
import Vapor
import ZhengxinCore

/// The administrators' first day in the demo, through the same steps as their API: the system
/// administrator proposes two new accounts (两人原则, AdminAccountProposals), the security
/// administrator approves the first, whose holder has yet to activate it, and the second waits for
/// approval. So each administrator finds a real matter on the home page: the security administrator
/// a proposal to decide, the system administrator an activation code to hand over, the audit
/// administrator these operations to review.
enum DemoAdministration {
    struct Proposal { let username: String; let displayName: String; let orgKey: String }

    /// Approved on seeding: its holder activates it with both halves of the code.
    static let approved = Proposal(username: "health2", displayName: "卫健委信息科经办人", orgKey: "health")
    /// Left for the security administrator.
    static let pending = Proposal(username: "edu2", displayName: "教育局信息中心经办人", orgKey: "edu")

    static func seed(_ app: Application, actors: [String: Actor], organisations: [String: OrganisationModel]) async throws {
        let now = app.zhengxin.now()
        let (system, security) = (actors["sysadmin"]!, actors["secadmin"]!)
        var proposals: [UUID] = []
        for p in [approved, pending] {
            let new = UserAccounts.NewUser(
                username: p.username, displayName: p.displayName, password: nil, organisation: organisations[p.orgKey]!, roles: [.staff])
            let made = try await AdminAccountProposals.propose(new, by: system, app: app, now: now, client: DemoSeeder.client)
            proposals.append(made.proposal.id)
        }
        guard let row = try await AdminAccountProposalModel.find(proposals[0], on: app.db) else { return }
        _ = try await AdminAccountProposals.approve(row, by: security, app: app, now: now, client: DemoSeeder.client)
    }
}
