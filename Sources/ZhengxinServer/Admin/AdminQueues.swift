import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// What waits on each administrator (三权分立, GB/T 22239-2019 8.1.4.4), read from the
/// administration tables, never from business data. Each statement walks an index in order and
/// stops at a LIMIT; each count is capped (`countCap`), so no list reads a whole table. The
/// statements are built without a Request, so AdminQueuePlanTests read the plans of what runs.
enum AdminQueues {
    /// A count stops here: the home page says "1000+" rather than count a flood of events.
    static let countCap = 1000

    /// `SELECT COUNT(*)` of at most `countCap` rows of `inner` (a `SELECT 1 …`).
    static func capped(_ inner: SQLQueryString) -> SQLQueryString {
        "SELECT COUNT(*) FROM (" + inner + " LIMIT \(unsafeRaw: String(countCap))) AS capped"
    }

    // MARK: 安全管理员

    /// Proposals waiting for a security administrator's decision, oldest first; never the caller's own
    /// (two people, always).
    static func pendingProposals(notBy caller: UUID, limit: Int) -> SQLQueryString {
        """
        SELECT p.id, p.username, p.display_name, p.roles, p.proposed_at, o.name FROM admin_account_proposals p
        JOIN organisations o ON o.id = p.organisation_id
        WHERE p.status = 'pending' AND p.proposed_by <> \(bind: caller)
        ORDER BY p.proposed_at, p.id LIMIT \(unsafeRaw: String(limit))
        """
    }

    static func pendingProposalCount(notBy caller: UUID) -> SQLQueryString {
        capped("SELECT 1 FROM admin_account_proposals WHERE status = 'pending' AND proposed_by <> \(bind: caller)")
    }

    /// Accounts locked now by failed logins (登录失败处理, 8.1.4.1 b)), the lock ending soonest first.
    static func lockedAccounts(at now: Int64, limit: Int) -> SQLQueryString {
        """
        SELECT u.id, u.username, u.display_name, s.locked_until FROM account_security s
        JOIN users u ON u.id = s.user_id
        WHERE s.locked_until > \(bind: now) ORDER BY s.locked_until LIMIT \(unsafeRaw: String(limit))
        """
    }

    static func lockedCount(at now: Int64) -> SQLQueryString {
        capped("SELECT 1 FROM account_security WHERE locked_until > \(bind: now)")
    }

    /// Accounts whose code to enrol a second factor (after `reset-totp`, or a CLI account's first)
    /// lapsed unused: the holder cannot sign in (TOTP_REQUIRED) until a security administrator issues
    /// another. Read from the codes of that purpose by when they lapsed, oldest first.
    static func lapsedEnrolments(at now: Int64, limit: Int) -> SQLQueryString {
        """
        SELECT u.id, u.username, u.display_name, a.expires_at FROM account_activations a JOIN users u ON u.id = a.user_id
        WHERE a.purpose = 'enrol-totp' AND a.expires_at <= \(bind: now) AND u.active = \(bind: true)
        ORDER BY a.expires_at LIMIT \(unsafeRaw: String(limit))
        """
    }

    static func lapsedEnrolmentCount(at now: Int64) -> SQLQueryString {
        capped(
            "SELECT 1 FROM account_activations a JOIN users u ON u.id = a.user_id "
                + "WHERE a.purpose = 'enrol-totp' AND a.expires_at <= \(bind: now) AND u.active = \(bind: true)")
    }

    // MARK: 系统管理员

    /// New accounts the caller proposed, approved, still active and not yet activated by their
    /// holder: the code's first half is the caller's to hand over (`lapsed` false) while the code is in
    /// force; once it has lapsed unused (`lapsed` true) no one can activate the account, and the
    /// caller disables it. Read from the activation codes of new accounts (used ones are deleted),
    /// the code lapsing soonest first.
    static func awaitingActivation(proposedBy caller: UUID, lapsed: Bool, at now: Int64, limit: Int) -> SQLQueryString {
        "SELECT u.id, u.username, u.display_name, a.expires_at, p.id FROM account_activations a "
            + "JOIN users u ON u.id = a.user_id "
            + "JOIN admin_account_proposals p ON p.username = u.username AND p.status = 'approved' "
            + "WHERE a.purpose = 'activate' AND "
            + (lapsed ? "a.expires_at <= \(bind: now)" : "a.expires_at > \(bind: now)")
            + " AND p.proposed_by = \(bind: caller) AND u.active = \(bind: true)"
            + " ORDER BY a.expires_at LIMIT \(unsafeRaw: String(limit))"
    }

    /// The caller's proposals rejected since `since`, to revise and propose again, newest decision first.
    static func rejectedProposals(by caller: UUID, since: Int64, limit: Int) -> SQLQueryString {
        """
        SELECT id, username, display_name, roles, proposed_at, decided_at FROM admin_account_proposals
        WHERE proposed_by = \(bind: caller) AND status = 'rejected' AND decided_at >= \(bind: since)
        ORDER BY decided_at DESC LIMIT \(unsafeRaw: String(limit))
        """
    }

    static func rejectedCount(by caller: UUID, since: Int64) -> SQLQueryString {
        capped(
            "SELECT 1 FROM admin_account_proposals WHERE proposed_by = \(bind: caller) AND status = 'rejected' AND decided_at >= \(bind: since)"
        )
    }

    /// The caller's proposals still waiting for a security administrator (not the caller's matter: shown as a count).
    static func ownPendingCount(by caller: UUID) -> SQLQueryString {
        capped("SELECT 1 FROM admin_account_proposals WHERE proposed_by = \(bind: caller) AND status = 'pending'")
    }

    static func awaitingActivationCount(proposedBy caller: UUID, lapsed: Bool, at now: Int64) -> SQLQueryString {
        capped(
            "SELECT 1 FROM account_activations a JOIN users u ON u.id = a.user_id "
                + "JOIN admin_account_proposals p ON p.username = u.username AND p.status = 'approved' "
                + "WHERE a.purpose = 'activate' AND "
                + (lapsed ? "a.expires_at <= \(bind: now)" : "a.expires_at > \(bind: now)")
                + " AND p.proposed_by = \(bind: caller) AND u.active = \(bind: true)")
    }

    /// How long a rejected proposal stays on its proposer's home page.
    static let rejectedShownSeconds: Int64 = 30 * 86_400

    // MARK: 审计管理员

    /// The administrators' actions and the security events an audit administrator reviews
    /// (安全审计, 8.1.4.3; 审计管理员 reviews the other administrators' operations, 8.1.4.4 b)), by
    /// audit action, with what the page calls them. `login` counts only its refusals.
    static let reviewed: [(action: String, title: String)] = [
        ("login", "登录失败"),
        ("lock-account", "账号因连续登录失败被锁定"),
        ("admin-business-refused", "管理员访问业务接口被拒绝"),
        ("activate-account", "账号激活与重新绑定动态口令"),
        ("propose-admin-account", "提出新建账号"),
        ("approve-admin-account", "批准新建账号"),
        ("reject-admin-account", "驳回新建账号"),
        ("create-user", "建立账号"),
        ("disable-user", "停用账号"),
        ("enable-user", "启用账号"),
        ("create-org", "新建机构"),
        ("unlock-account", "解除账号锁定"),
        ("reset-totp", "重置动态口令"),
        ("add-policy-version", "发布政策版本"),
        ("rotate-signing-key", "轮换签名密钥"),
    ]

    /// The audit action that records a review: the entries of `reviewed` at or before it are reviewed.
    static let reviewAction = "review-admin-events"

    /// The latest review's entry (seq, at, reviewer, the marker in `after`), from the (action, seq) index.
    static func lastReview() -> SQLQueryString {
        "SELECT seq, at, actor_name, \"after\" FROM audit_entries WHERE action = \(bind: reviewAction) ORDER BY seq DESC LIMIT 1"
    }

    static func eventCondition(_ action: String, after seq: Int64) -> SQLQueryString {
        let refusals: SQLQueryString = action == "login" ? " AND result <> 'accepted'" : ""
        return "action = \(bind: action) AND seq > \(bind: seq)" + refusals
    }

    /// The oldest entries of one reviewed action after `seq`: a review goes through them in order.
    static func events(_ action: String, after seq: Int64, limit: Int) -> SQLQueryString {
        "SELECT seq FROM audit_entries WHERE " + eventCondition(action, after: seq)
            + " ORDER BY seq LIMIT \(unsafeRaw: String(limit))"
    }

    static func eventCount(_ action: String, after seq: Int64) -> SQLQueryString {
        capped("SELECT 1 FROM audit_entries WHERE " + eventCondition(action, after: seq))
    }
}
