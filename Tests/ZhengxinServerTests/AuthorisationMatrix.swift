import Foundation
import Vapor
import ZhengxinCore

/// What a caller should get from one endpoint.
enum Expect: Sendable, Equatable, CustomStringConvertible {
    /// Exactly this status.
    case status(HTTPStatus)
    /// Past authorisation: whatever the request itself earns (2xx, or 400/409/422 for its content),
    /// never 401, 403, 404 or a server error.
    case allowed

    func admits(_ status: HTTPStatus) -> Bool {
        switch self {
        case .status(let expected): return status == expected
        case .allowed: return status.code < 500 && ![401, 403, 404].contains(status.code)
        }
    }

    var description: String {
        switch self {
        case .status(let s): return "\(s.code)"
        case .allowed: return "allowed"
        }
    }
}

/// One endpoint in the matrix. Paths use placeholders the test fills in: {project} (unitA's
/// project, under construction, vendor contracted), {unit} (unitA's organisation), {plan} (the issued
/// annual plan that carries the project), {user} (unitA's account).
struct MatrixRow: Sendable {
    enum Body: Sendable {
        case none
        case json(String)
        case upload(String, contentType: String)
    }

    let method: HTTPMethod
    let path: String
    let body: Body
    /// One expectation per business caller and anonymous, in `AuthorisationMatrix.callers` order.
    let expect: [Expect]
    /// One expectation per administrator, in `AuthorisationMatrix.administrators` order; a business
    /// route refuses all three (403 `ADMIN_NO_BUSINESS`, 三权分立).
    var admins: [Expect] = AuthorisationMatrix.businessForAdmins

    var projectScoped: Bool { path.contains("{project}") }
    /// A business route: every administrator must get `ADMIN_NO_BUSINESS`.
    var business: Bool { admins == AuthorisationMatrix.businessForAdmins }

    func expectation(for caller: String?) -> Expect {
        if let caller, let i = AuthorisationMatrix.administrators.firstIndex(of: caller) { return admins[i] }
        return expect[AuthorisationMatrix.callers.firstIndex(of: caller)!]
    }
}

/// Every endpoint × every role with the expected status. One table: a change to
/// who may do what shows up here as a changed row, reviewed in one place.
enum AuthorisationMatrix {
    /// The columns: the TestWorld business accounts, then an anonymous caller (nil); then the three
    /// administrators, whose expectations each row keeps apart (`MatrixRow.admins`).
    static let callers: [String?] = ["drc", "fin", "bdb", "aud", "unitA", "unitA2", "unitB", "vendor", "drcViewer", nil]
    static let administrators = ["adminSys", "adminSec", "adminAud"]
    static var everyCaller: [String?] { callers + administrators.map(Optional.some) }
    /// What the three administrators get from a business route: 403 (`ADMIN_NO_BUSINESS`).
    static let businessForAdmins: [Expect] = [.status(.forbidden), .status(.forbidden), .status(.forbidden)]

    private static let ok = Expect.status(.ok), created = Expect.status(.created), noContent = Expect.status(.noContent)
    private static let e401 = Expect.status(.unauthorized), e403 = Expect.status(.forbidden), e404 = Expect.status(.notFound)
    private static let e423 = Expect.status(.locked)
    private static let pass = Expect.allowed
    private static let e429 = Expect.status(.tooManyRequests)

    private static func row(_ method: HTTPMethod, _ path: String, _ expect: [Expect], admins: [Expect] = businessForAdmins) -> MatrixRow {
        row(method, path, .none, expect, admins: admins)
    }

    private static func row(
        _ method: HTTPMethod, _ path: String, _ body: MatrixRow.Body, _ expect: [Expect],
        admins: [Expect] = businessForAdmins
    ) -> MatrixRow {
        precondition(expect.count == callers.count, "\(path): one expectation per caller")
        precondition(admins.count == administrators.count, "\(path): one expectation per administrator")
        return MatrixRow(method: method, path: "/api/v1" + path, body: body, expect: expect, admins: admins)
    }

    /// Who sees the project: every agency and its own unit; the contracted vendor; not another unit.
    private static let seesProject: [Expect] = [ok, ok, ok, ok, ok, ok, e404, ok, ok, e401]
    private static let everyUser: [Expect] = [ok, ok, ok, ok, ok, ok, ok, ok, ok, e401]
    /// 统计报表's files: units (their own projects) and agencies; vendors 403.
    private static let reports: [Expect] = [ok, ok, ok, ok, ok, ok, ok, e403, ok, e401]
    private static let noAdmin: [Expect] = [e403, e403, e403, e403, e403, e403, e403, e403, e403, e401]
    private static let e400 = Expect.status(.badRequest)
    /// Administrators: system, security, audit.
    private static let adminsOK: [Expect] = [ok, ok, ok]

    static let draft =
        #"{"name":"矩阵项目","source":"unitDeclaration","planYear":2027,"category":"businessSystem","totalInvestmentFen":100000,"content":"建设内容","goals":"建设目标"}"#
    static let policy = #"{"id":"x","jurisdiction":"zhongmou","effectiveFrom":"2027-01-01"}"#

    static let endpoints: [MatrixRow] =
        [
            //                                                                       drc   fin   bdb   aud   unitA unitA2 unitB vendor viewer anon
            // Administrators' columns (adminSys, adminSec, adminAud) are `admins:`; without it, a business route they get 403 from.
            MatrixRow(method: .GET, path: "/healthz", body: .none, expect: [ok, ok, ok, ok, ok, ok, ok, ok, ok, ok], admins: adminsOK),
            MatrixRow(method: .GET, path: "/readyz", body: .none, expect: [ok, ok, ok, ok, ok, ok, ok, ok, ok, ok], admins: adminsOK),
            row(.GET, "/openapi.json", [ok, ok, ok, ok, ok, ok, ok, ok, ok, ok], admins: adminsOK),
            // Sent by every caller in turn from the harness's one address: the 5th failure of one name
            // from one address locks that pair (423), for everyone alike (LoginThrottle).
            row(
                .POST, "/auth/login", .json(#"{"username":"nobody","password":"wrong"}"#),
                [e401, e401, e401, e401, e423, e423, e423, e423, e423, e423],
                admins: [e423, e423, e423]),
            // An unknown activation code is refused alike for everyone, and counts against the one
            // address like a failed login: the 5th locks it (429), whoever sends it.
            row(
                .POST, "/auth/activate", .json(#"{"code":"NOSUCHCODE","newPassword":"Matrix-pass-1"}"#),
                [e400, e400, e400, e400, e429, e429, e429, e429, e429, e429], admins: [e429, e429, e429]),
            row(
                .POST, "/me/password", .json(#"{"currentPassword":"not-the-password","newPassword":"Matrix-pass-1"}"#),
                [e400, e400, e400, e400, e400, e400, e400, e400, e400, e401], admins: [e400, e400, e400]),
            row(.GET, "/me", everyUser, admins: adminsOK),
            row(.GET, "/me/personal", everyUser, admins: adminsOK),
            // The pages' files on the API: a decision's PDF as the project (an unknown decision is 404 to
            // whoever sees the project); reports and the project list as the reports page (vendors 403).
            row(
                .GET, "/projects/{project}/decisions/00000000-0000-4000-8000-000000000000.pdf",
                [e404, e404, e404, e404, e404, e404, e404, e404, e404, e401]),
            row(.GET, "/projects.xlsx?planYear=2027", everyUser),
            row(.GET, "/reports/by-stage.csv", reports),
            row(.GET, "/reports/by-unit.csv", reports),
            row(.GET, "/reports/by-year.csv", reports),
            row(.GET, "/reports/by-tier.csv", reports),
            row(.GET, "/reports/overdue.csv?year=2027", reports),
            row(.GET, "/reports/by-stage.xlsx", reports),
            row(.GET, "/reports/by-unit.xlsx", reports),
            row(.GET, "/reports/by-year.xlsx", reports),
            row(.GET, "/reports/by-tier.xlsx", reports),
            row(.GET, "/reports/overdue.xlsx", reports),
            // 邮件提醒: each business account its own (no business mail for administrators); an unknown
            // delivery is refused alike and changes nothing.
            row(.GET, "/me/mail", everyUser),
            row(
                .PUT, "/me/mail", .json(#"{"address":"x@zz.gov.cn","delivery":"hourly"}"#),
                [e400, e400, e400, e400, e400, e400, e400, e400, e400, e401]),
            // The organisations the system administrator assigns accounts to; policy versions, the security administrator's.
            row(.GET, "/organisations", everyUser, admins: adminsOK),
            row(.GET, "/projects", everyUser),
            row(.POST, "/projects", .json(draft), [e403, e403, e403, e403, created, created, created, e403, e403, e401]),
            // 批量申报: the template for every business account; importing is the units' (a file that is not a
            // workbook is then 400, after authorisation), as declaring one project is.
            row(.GET, "/projects/import/template.xlsx", everyUser),
            row(
                .POST, "/projects/import",
                .upload("not a workbook", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                [e403, e403, e403, e403, e400, e400, e400, e403, e403, e401]),
            row(.GET, "/projects/{project}", seesProject),
            row(.GET, "/projects/{project}/actions", seesProject),
            row(.GET, "/projects/{project}/similar", [ok, ok, ok, ok, ok, ok, e404, e403, ok, e401]),  // 查重: not for vendors
            row(.GET, "/projects/{project}/audit", [ok, ok, ok, ok, ok, ok, e404, e403, ok, e401]),
            // 风险评级: as the reports (vendors 403; a unit its own projects), the project's as its audit record.
            row(.GET, "/risks", reports),
            row(.GET, "/projects/{project}/risk", [ok, ok, ok, ok, ok, ok, e404, e403, ok, e401]),
            row(.GET, "/projects/{project}/documents", seesProject),
            row(.GET, "/projects/{project}/documents/1", seesProject),
            row(
                .POST, "/projects/{project}/documents?kind=other&filename=note.txt", .upload("会议纪要", contentType: "text/plain"),
                [created, e403, e403, e403, created, created, e404, e403, e403, e401]),
            row(
                .POST, "/projects/{project}/actions/no-such-action", .json("{}"),
                [e404, e404, e404, e404, e404, e404, e404, e404, e404, e401]),
            row(.GET, "/projects/{project}/sharing", seesProject),
            row(.GET, "/projects/{project}/catalog.json", seesProject),
            row(.GET, "/projects/{project}/catalog.jsonld", seesProject),
            row(.GET, "/units/{unit}/sharing", [ok, ok, ok, ok, ok, ok, e404, e404, ok, e401]),
            row(.GET, "/annual-plans", everyUser),
            row(
                .POST, "/annual-plans", .json(#"{"year":2028,"title":"矩阵计划","lines":[]}"#),
                [pass, e403, e403, e403, e403, e403, e403, e403, e403, e401]),
            row(.GET, "/annual-plans/{plan}", everyUser),
            row(
                .POST, "/annual-plans/{plan}/issue", .json(#"{"documentNumber":"郑发改投资〔2027〕9号","issuedOn":"2026-03-02"}"#),
                [pass, e403, e403, e403, e403, e403, e403, e403, e403, e401]),
            row(.GET, "/policies", everyUser, admins: adminsOK),
            // Policy versions belong to the security administrator (三权分立); no business account holds it.
            row(
                .POST, "/policies", .json(policy), [e403, e403, e403, e403, e403, e403, e403, e403, e403, e401], admins: [e403, pass, e403]),
            row(.GET, "/inbox", everyUser),
            row(.GET, "/overdue", everyUser),
            row(.GET, "/projects/{project}/decisions", seesProject),
            // The agency key registry (public keys only) for every logged-in business account; rotating a key is the
            // security administrator's ({unit} is not an agency, so the rotation is refused after authorisation: 422).
            row(.GET, "/signing-keys", everyUser, admins: adminsOK),
            row(.POST, "/admin/signing-keys/{unit}/rotate", .json("{}"), noAdmin, admins: [e403, pass, e403]),
            // 三权分立: administration belongs to the three administrators, each its own, never to a business account.
            // {user} is an agency account of its own (a TOTP user), so disabling it spares the callers.
            row(.GET, "/admin/users", noAdmin, admins: [ok, ok, e403]),
            row(
                .POST, "/admin/users", .json(#"{"username":"x","displayName":"x","organisationId":"{unit}","roles":["staff"]}"#), noAdmin,
                admins: [Expect.status(.accepted), e403, e403]),
            // {user} is active until the row after: enabling it is a conflict for the one who may enable.
            row(.POST, "/admin/users/{user}/enable", .json("{}"), noAdmin, admins: [Expect.status(.conflict), e403, e403]),
            row(.POST, "/admin/users/{user}/disable", .json("{}"), noAdmin, admins: [ok, e403, e403]),
            row(.POST, "/admin/organisations", .json(#"{"name":"矩阵机构","type":"UNIT"}"#), noAdmin, admins: [created, e403, e403]),
            row(.POST, "/admin/users/{user}/unlock", .json("{}"), noAdmin, admins: [e403, ok, e403]),
            row(.POST, "/admin/users/{user}/reset-totp", .json("{}"), noAdmin, admins: [e403, ok, e403]),
            row(.GET, "/admin/audit", noAdmin, admins: [e403, e403, ok]),
            // Two-person rule: the system administrator proposes an administrator account, the security administrator decides.
            row(.GET, "/admin/account-proposals", noAdmin, admins: [ok, ok, e403]),
            row(.POST, "/admin/account-proposals/{proposal}/approve", .json("{}"), noAdmin, admins: [e403, e404, e403]),
            row(.POST, "/admin/account-proposals/{proposal}/reject", .json("{}"), noAdmin, admins: [e403, e404, e403]),
        ] + actionRows

    /// Every action of the catalog on unitA's project, with a body that is not JSON: an allowed caller
    /// gets past authorisation to a 400 (nothing changes), anyone else is stopped before that.
    static var actionRows: [MatrixRow] {
        Lifecycle.catalog.map { rule in
            let actors = rule.spec.actors
            let expect: [Expect] = callers.map { caller in
                switch caller {
                case nil: return e401
                case "unitB": return e404
                // Content is bound only by an upload: the generic route refuses attach-document
                // (400 UPLOAD_REQUIRED) to everyone who sees the project, whoever may upload.
                case _ where rule.spec.name == AttachDocument.spec.name: return .status(.badRequest)
                case "drcViewer": return e403
                case "unitA", "unitA2": return actors.contains(.unit) ? pass : e403
                case "vendor": return actors.contains(.vendor) ? pass : e403
                default:
                    let type = TestWorld.accounts.first { $0.username == caller }!.type
                    return actors.contains(type) ? pass : e403
                }
            }
            return row(.POST, "/projects/{project}/actions/\(rule.spec.name)", .upload("not json", contentType: "application/json"), expect)
        }
    }

    /// The last row, run after everything else: logging out ends only the caller's own session.
    static let logout = row(
        .POST, "/auth/logout", [noContent, noContent, noContent, noContent, noContent, noContent, noContent, noContent, noContent, e401],
        admins: [noContent, noContent, noContent])
}
