import Fluent
import Foundation
import ZhengxinCore
import ZhengxinCrypto

/// Signs the decisions an agency must not later be able to deny: 批复 (approve-document), 验收
/// sign-offs, 资金计划, 拨付 and sanctions and their lifting (GB/T 39786-2021 8.4 不可否认性).
enum DecisionSigner {
    static let signedActions: Set<String> = [
        "approve-document", "sign-off-acceptance", "issue-fund-plan", "disburse", "apply-sanction", "lift-sanction",
    ]

    /// The SM2 user id: the standard default, so any GM tool verifies without extra agreement.
    static let userId = SM2.defaultUserId

    /// Builds the canonical decision document, signs it with the acting agency's key and stores
    /// both; runs in the action's transaction, so there is no accepted decision without its signature.
    static func sign(
        action: String, project: ProjectRecord, decision: String, actor: Actor, audit: AuditEntryModel,
        dataDirectory: String, on db: Database
    ) async throws {
        let masterKey = try MasterKey.load(dataDirectory: dataDirectory)
        let signer = try await AgencyKeys.signingKey(for: actor.organisationId, masterKey: masterKey, at: audit.at, on: db)
        let document = try canonicalDocument([
            "projectId": project.id.uuidString,
            "projectCode": project.code,
            "projectName": project.name,
            "action": action,
            "decision": (try? JSONSerialization.jsonObject(with: Data(decision.utf8))) ?? decision,
            "summary": audit.summary,
            "actor": ["userId": actor.userId.uuidString, "name": actor.displayName],
            "organisation": ["id": actor.organisationId.uuidString, "type": actor.organisationType.rawValue],
            "at": audit.at,
            "auditSeq": audit.seq,
            "auditHash": audit.hash,
            // The signed bytes name the registry key they are signed under.
            "keyFingerprint": signer.fingerprint,
        ])
        let signature = try SM2.sign(Data(document.utf8), with: signer.key, userId: userId)
        let row = DecisionSignatureModel()
        row.id = UUID()
        row.projectId = project.id
        row.organisationId = actor.organisationId
        row.action = action
        row.auditSeq = audit.seq
        row.signedAt = audit.at
        // A 涉密 project's decision names it and its figures: at rest it is sealed (AtRest); the export opens it.
        row.document = project.classified ? try AtRest.seal(document) : document
        row.signature = signature.base64EncodedString()
        row.publicKeyPEM = signer.publicPEM
        try await row.create(on: db)
    }

    static func canonicalDocument(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// A signed decision as exported: the document, its signature and which registered key made it.
/// The embedded public key is a convenience; `zhengxin verify-decision` trusts only the registry's.
struct SignedDecisionExport: Codable, Sendable {
    /// The decision's id, by which its A4 document is `GET .../decisions/{id}.pdf`; files exported
    /// before it was given lack it (the signature covers `document`, not this).
    var id: UUID?
    var action: String
    var auditSeq: Int64
    var signedAt: Int64
    var organisationId: UUID
    var algorithm: String
    var userId: String
    /// The canonical JSON text exactly as signed.
    var document: String
    /// base64 DER SM2 signature.
    var signature: String
    /// The signing key's PEM (optional in a file: the registry holds the key that counts).
    var publicKey: String?
    /// SM3 of the signing key (SigningKeyFingerprint): its name in the agency key registry.
    /// Exports made before the registry lack it; the embedded key's fingerprint stands in.
    var keyFingerprint: String?

    init(_ m: DecisionSignatureModel) throws {
        id = m.id
        action = m.action
        auditSeq = m.auditSeq
        signedAt = m.signedAt
        organisationId = m.organisationId
        algorithm = "SM2-with-SM3"
        userId = DecisionSigner.userId
        document = try AtRest.isSealed(m.document) ? AtRest.open(m.document) : m.document
        signature = m.signature
        publicKey = m.publicKeyPEM
        keyFingerprint = try SigningKeyFingerprint.of(pem: m.publicKeyPEM)
    }
}
