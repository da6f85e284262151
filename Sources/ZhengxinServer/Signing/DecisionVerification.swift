import Foundation
import ZhengxinCrypto

/// Checks exported decisions against the agency key registry (the database's, or a pinned copy).
/// A decision is valid only if every condition holds:
/// 1. its key fingerprint is in the registry;
/// 2. the key embedded in the file, if any, is the registry's key of that fingerprint (another
///    embedded key means the file was forged; verification never uses it);
/// 3. the key belongs to the organisation the signed document names as signer;
/// 4. the signing time in the signed document lies within the key's validity;
/// 5. the SM2 signature over the document's exact bytes verifies under the registry's public key;
/// 6. the export's own fields (action, audit seq, organisation, time, fingerprint) agree with the
///    signed document, so what a reader sees is what was signed.
/// Every failed condition is named, in Chinese. `zhengxin verify-decision` is this code.
enum DecisionVerification {
    struct Results {
        var lines: [String]
        var allValid: Bool
    }

    /// `data`: one decision or the list `GET /api/v1/projects/{id}/decisions` returns. `source`
    /// names the registry in the output (数据库, or the pinned file).
    static func check(_ data: Data, against registry: SigningKeyRegistry, source: String) -> Results {
        guard let decisions = decode(data) else {
            return Results(lines: ["无效: 文件不是决定导出格式(需含 document、signature 及 keyFingerprint 或 publicKey)"], allValid: false)
        }
        guard !decisions.isEmpty else { return Results(lines: ["无效: 文件中没有决定"], allValid: false) }
        var lines: [String] = []
        var allValid = true
        for d in decisions {
            let verdict = verify(d, against: registry)
            if verdict.failures.isEmpty, let key = verdict.key {
                lines.append(
                    "有效: \(d.action) 审计序号\(d.auditSeq) 签署机构「\(key.organisationName)」 签署时间 \(SigningTime.text(d.signedAt)) "
                        + "公钥指纹(SM3) \(key.fingerprint) (登记册: \(source))")
            } else {
                allValid = false
                lines.append("无效: \(d.action) 审计序号\(d.auditSeq): " + verdict.failures.joined(separator: "；"))
            }
        }
        return Results(lines: lines, allValid: allValid)
    }

    static func decode(_ data: Data) -> [SignedDecisionExport]? {
        let decoder = JSONDecoder()
        if let list = try? decoder.decode([SignedDecisionExport].self, from: data) { return list }
        if let one = try? decoder.decode(SignedDecisionExport.self, from: data) { return [one] }
        return nil
    }

    struct Verdict {
        /// The registry's key the decision names, when it names a registered one.
        var key: SigningKeyEntry?
        var failures: [String]
    }

    static func verify(_ d: SignedDecisionExport, against registry: SigningKeyRegistry) -> Verdict {
        guard let signed = (try? JSONSerialization.jsonObject(with: Data(d.document.utf8))) as? [String: Any] else {
            return Verdict(key: nil, failures: ["签名文档不是有效的 JSON 对象"])
        }
        let embeddedFingerprint = d.publicKey.flatMap { try? SigningKeyFingerprint.of(pem: $0) }
        guard let named = d.keyFingerprint ?? embeddedFingerprint else {
            return Verdict(key: nil, failures: ["文件未给出签名密钥指纹,内嵌公钥也无法读取"])
        }
        guard let key = registry.entry(named) else {
            return Verdict(key: nil, failures: ["公钥指纹 \(named) 不在签名密钥登记册中: 该密钥从未登记为任何机构的签名密钥,决定系伪造"])
        }
        var failures: [String] = []
        if d.publicKey != nil && embeddedFingerprint != key.fingerprint {
            failures.append("文件内嵌的公钥(指纹 \(embeddedFingerprint ?? "无法读取"))不是登记册中指纹 \(key.fingerprint) 的公钥: 决定系伪造,内嵌公钥不予采信")
        }
        if let bound = signed["keyFingerprint"] as? String, bound.lowercased() != key.fingerprint {
            failures.append("签名文档载明的签名密钥指纹 \(bound) 与文件所称密钥 \(key.fingerprint) 不符")
        }
        let signerId = ((signed["organisation"] as? [String: Any])?["id"] as? String).flatMap(UUIDText.parse)
        if signerId != key.organisationId {
            failures.append(
                "签名密钥属于「\(key.organisationName)」(\(key.organisationId.uuidString)),而决定载明的签署机构是 \(signerId?.uuidString ?? "(未载明)"): 不得以他机构的密钥签署"
            )
        }
        let signedAt = (signed["at"] as? NSNumber)?.int64Value
        if let signedAt {
            if !key.covers(signedAt) {
                failures.append("签署时间 \(SigningTime.text(signedAt)) 不在该密钥的有效期内(\(key.validityText))")
            }
        } else {
            failures.append("签名文档未载明签署时间")
        }
        if d.userId != DecisionSigner.userId {
            failures.append("SM2 用户标识 \(d.userId) 不是本系统所用的 \(DecisionSigner.userId)")
        }
        let registered = try? SM2PublicKey(pem: key.publicKey)
        let signature = Data(base64Encoded: d.signature)
        if registered == nil || signature == nil
            || !SM2.verify(signature!, for: Data(d.document.utf8), with: registered!, userId: DecisionSigner.userId)
        {
            failures.append("SM2 签名在登记册公钥下验证失败: 决定内容被改动,或并非由该登记密钥签署")
        }
        // The export's own fields are what a reader sees first; they must say what was signed.
        var differing: [String] = []
        if d.action != signed["action"] as? String { differing.append("action") }
        if d.auditSeq != (signed["auditSeq"] as? NSNumber)?.int64Value { differing.append("auditSeq") }
        if d.organisationId != signerId { differing.append("organisationId") }
        if d.signedAt != signedAt { differing.append("signedAt") }
        if !differing.isEmpty { failures.append("导出文件的 \(differing.joined(separator: "、")) 与签名文档不一致") }
        return Verdict(key: key, failures: failures)
    }
}
