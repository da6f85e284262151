import Fluent
import Vapor
import ZhengxinCore

/// GET /api/v1/projects/{projectId}/decisions: the project's signed decisions, each a complete
/// export (document, SM2 signature, key fingerprint and public key) that `zhengxin verify-decision`
/// checks against the agency key registry.
/// GET /api/v1/signing-keys: that registry (public keys, fingerprints, validity), for any logged-in
/// user: whoever can obtain a decision can check it. It holds nothing secret, yet it is not
/// anonymous: it names the agencies' organisation ids as `/organisations` does, which is login-only
/// too, and a pinned copy is worth what the channel it was fetched over is worth (or comes from
/// `zhengxin export-signing-keys` on the server).
/// POST /api/v1/admin/signing-keys/{organisationId}/rotate: the security administrator rotates an
/// agency's key (key management, GB/T 39786-2021 8.5; 三权分立).
struct DecisionController {
    static let rotationRefusal = "仅安全管理员可轮换机构签名密钥"

    func register(_ routes: RoutesBuilder) {
        routes.get("projects", ":projectId", "decisions", use: list)
        routes.get("signing-keys", use: signingKeys)
        routes.post("admin", "signing-keys", ":organisationId", "rotate", use: rotate)
    }

    /// A page of the project's decisions in audit order, read from (project_id, audit_seq); the
    /// number of decisions in `X-Total-Count`.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let paging = try PageRequest.collection(req)
        let record = try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db)
        let decisions = DecisionSignatureModel.query(on: req.db).filter(\.$projectId == record.id)
        let total = try await decisions.copy().count()
        let items = try await decisions.sort(\.$auditSeq).range(paging.range).all().map(SignedDecisionExport.init)
        return try await PageRequest.response(items, total: total, for: req)
    }

    /// The registry with a page of its keys, oldest first (`page`, `perPage`); how many keys there
    /// are in `X-Total-Count`. A pinned copy of the whole registry is `zhengxin export-signing-keys`
    /// (or every page's keys together). One key per agency and rotation: the page is cut from it.
    func signingKeys(_ req: Request) async throws -> Response {
        _ = try req.caller()
        let paging = try PageRequest.collection(req)
        var registry = try await SigningKeyRegistry.load(on: req.db, at: req.now)
        let total = registry.keys.count
        registry.keys = paging.slice(registry.keys)
        let response = try await registry.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(total))
        return response
    }

    func rotate(_ req: Request) async throws -> SigningKeyRotation.Result {
        let actor = try await req.administrator([.securityAdmin], action: "rotate-signing-key", refusal: Self.rotationRefusal)
        guard let id = req.parameters.get("organisationId").flatMap(UUIDText.parse),
            let org = try await OrganisationModel.find(id, on: req.db)
        else { throw APIError.notFound("机构") }
        return try await SigningKeyRotation.rotate(org, by: actor, client: req.clientAddress, app: req.application)
    }
}

/// One rotation, audited in its transaction; the API and `zhengxin rotate-signing-key` both call it.
enum SigningKeyRotation {
    struct Result: Content {
        var retired: SigningKeyEntry?
        var current: SigningKeyEntry
    }

    static func rotate(_ org: OrganisationModel, by actor: Actor?, client: String, app: Application) async throws -> Result {
        // Units and vendors take no signed decision (DecisionSigner.signedActions are the agencies').
        guard org.organisationType.seesAllProjects else {
            throw APIError(
                status: .unprocessableEntity, code: "NOT_A_SIGNING_AGENCY",
                message: "「\(org.name)」不是主管部门,没有决定签名密钥;只有发展改革、财政、大数据、审计部门签署决定")
        }
        let organisationId = try org.requireID()
        let masterKey = try MasterKey.load(dataDirectory: app.zhengxin.config.dataDirectory)
        let now = app.zhengxin.now()
        let (retired, current) = try await app.writeTransaction { db in
            let (retired, current) = try await AgencyKeys.rotate(organisationId, masterKey: masterKey, at: now.secondsSinceEpoch, on: db)
            let old = retired.map { "旧密钥 \($0.fingerprint) 停用(保留以验证其已签决定), " } ?? ""
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "rotate-signing-key", result: .accepted,
                    summary: "轮换「\(org.name)」的决定签名密钥: \(old)新密钥 \(current.fingerprint) 生效",
                    clientAddress: client), at: now, on: db)
            return (retired, current)
        }
        return Result(retired: retired.map { SigningKeyEntry($0, organisation: org) }, current: SigningKeyEntry(current, organisation: org))
    }
}

extension SignedDecisionExport: Content {}
