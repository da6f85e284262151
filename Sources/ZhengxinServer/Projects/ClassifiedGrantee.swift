import Fluent
import Foundation
import ZhengxinCore

/// Who may be named on a 涉密 project (授权查看涉密项目, R-CON-5, 第十七条): an existing, active
/// business account of an organisation that sees the project once its user is named — the project's
/// own unit, an agency, or a vendor contracted on it (ProjectRecord.isVisible). The core rule sees
/// only the id; an id naming no one, a disabled account, an administrator (who takes no business
/// data, 三权分立) or another unit's user (who never sees another unit's project) would be recorded
/// as a grant of nothing. The server looks the account up before the action and adds the unmet
/// condition to the core's decision on the record read, so the runner's visibility check still comes
/// first (an unnamed caller gets 404 for a 涉密 project whatever id it sends) and the refusal is
/// audited like any other.
enum ClassifiedGrantee {
    /// The grantee as the server found it: an account that may hold grants, or why not.
    enum Lookup: Sendable {
        case account(Actor)
        case unfit(Violation)
    }

    /// The grantee of `body`, if the action is a grant naming a well-formed id (the core names a malformed one).
    static func lookup(action name: String, body: Data, on db: Database) async throws -> Lookup? {
        guard name == GrantClassifiedAccess.spec.name,
            let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let text = object["userId"] as? String, let userId = UUIDText.parse(text)
        else { return nil }
        if let user = try await UserModel.query(on: db).filter(\.$id == userId).with(\.$organisation).first(), isBusinessAccount(user) {
            return .account(try ActorLoader.actor(for: user))
        }
        return .unfit(violation("被授权人须为在用的业务账号(不存在、已停用的账号和管理员不能被授权)"))
    }

    /// The core's decision with the grantee's problem on `record` added: every unmet condition in one refusal.
    static func decision(_ core: Decision, _ lookup: Lookup?, on record: ProjectRecord) -> Decision {
        let problem: Violation?
        switch lookup {
        case nil: problem = nil
        case .unfit(let violation): problem = violation
        case .account(let grantee):
            problem =
                seesOnceNamed(record, userId: grantee.userId, organisationId: grantee.organisationId, type: grantee.organisationType)
                ? nil : violation("被授权人所在单位不能查看本项目: 只能授权本项目单位、市发展改革委、市财政局、市大数据局、市审计局或本项目承建、监理单位的人员")
        }
        guard let problem else { return core }
        switch core {
        case .forbidden: return core
        case .refused(let violations): return .refused(violations + [problem])
        case .accepted: return .refused([problem])
        }
    }

    /// An account that may hold a grant at all: in use, and no administrator's (三权分立).
    static func isBusinessAccount(_ user: UserModel) -> Bool { user.active && !user.roleSet.contains(where: \.isAdministrator) }

    /// Whether a user of this organisation sees `record` once named on it (the choices a page offers, too).
    static func seesOnceNamed(_ record: ProjectRecord, userId: UUID, organisationId: UUID, type: OrganisationType) -> Bool {
        var named = record
        named.classifiedAccess.append(userId)
        return named.isVisible(
            to: Actor(userId: userId, displayName: "", organisationId: organisationId, organisationType: type, roles: [.staff]))
    }

    private static func violation(_ message: String) -> Violation {
        Violation(rule: GrantClassifiedAccess.spec.rule, article: GrantClassifiedAccess.spec.article, message: message, field: "userId")
    }
}
