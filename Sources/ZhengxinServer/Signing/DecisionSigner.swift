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
    static func sign(action: String, project: ProjectRecord, decision: String, actor: Actor, audit: AuditEntryModel,
                     dataDirectory: String, on db: Database) async throws {
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

/// A signed decision as exported: everything an offline verifier needs.
struct SignedDecisionExport: Codable, Sendable {
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
    var publicKey: String

    init(_ m: DecisionSignatureModel) throws {
        action = m.action
        auditSeq = m.auditSeq
        signedAt = m.signedAt
        organisationId = m.organisationId
        algorithm = "SM2-with-SM3"
        userId = DecisionSigner.userId
        document = try AtRest.isSealed(m.document) ? AtRest.open(m.document) : m.document
        signature = m.signature
        publicKey = m.publicKeyPEM
    }

    /// Verifies with nothing but the export itself.
    var isValid: Bool {
        guard let sig = Data(base64Encoded: signature), let key = try? SM2PublicKey(pem: publicKey) else { return false }
        return SM2.verify(sig, for: Data(document.utf8), with: key, userId: userId)
    }

    /// SM3 of the public key PEM: compare with the agency's published fingerprint, since the
    /// key in an export is only as trustworthy as its match with the agency's registered key.
    var publicKeyFingerprint: String { SM3.hex(publicKey) }
}
