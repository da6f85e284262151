import Fluent
import Foundation
import ZhengxinCore

/// Who may be named on a 涉密 project (授权查看涉密项目, R-CON-5, 第十七条): an existing, active
/// business account. The core rule sees only the id; an id naming no one, a disabled account or an
/// administrator (who takes no business data, 三权分立) would be recorded as a grant of nothing, or
/// of the wrong thing. The server looks the account up before the action and adds the unmet
/// condition to the core's decision, so the runner's visibility check still comes first (an
/// unnamed caller gets 404 for a 涉密 project whatever id it sends) and the refusal is audited
/// like any other.
enum ClassifiedGrantee {
    /// The unmet condition of `body`'s grantee, if the action is a grant and its grantee is unfit.
    static func problem(action name: String, body: Data, on db: Database) async throws -> Violation? {
        guard name == GrantClassifiedAccess.spec.name,
            let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let text = object["userId"] as? String, let userId = UUIDText.parse(text)
        else { return nil }  // the core names a malformed id
        if let user = try await UserModel.query(on: db).filter(\.$id == userId).first(), user.active,
            !user.roleSet.contains(where: \.isAdministrator)
        {
            return nil
        }
        return Violation(
            rule: GrantClassifiedAccess.spec.rule, article: GrantClassifiedAccess.spec.article,
            message: "被授权人须为在用的业务账号(不存在、已停用的账号和管理员不能被授权)", field: "userId")
    }

    /// The core's decision with the grantee's problem added: every unmet condition in one refusal.
    static func decision(_ core: Decision, adding problem: Violation?) -> Decision {
        guard let problem else { return core }
        switch core {
        case .forbidden: return core
        case .refused(let violations): return .refused(violations + [problem])
        case .accepted: return .refused([problem])
        }
    }
}
