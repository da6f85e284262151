import Foundation
import Testing
import ZhengxinCrypto

/// Cross-check against an independent implementation: the pure-Python `gmalg` package (PyPI),
/// which shares no code with OpenSSL. scripts/test.sh installs it; `pip install gmalg` otherwise.
@Suite("Cross-check with gmalg (PyPI)")
struct GmalgCrossCheckTests {
    /// Runs the checker once with every case; it answers with what gmalg computed.
    static let script = #"""
        import sys, json, hmac as _h
        import gmalg
        req = json.load(sys.stdin)
        def sm3(b):
            h = gmalg.SM3(); h.update(b); return h.value()
        def hmac_sm3(key, msg):
            # RFC 2104 over gmalg's SM3 (block 64 bytes), written out so nothing comes from OpenSSL.
            if len(key) > 64: key = sm3(key)
            key = key.ljust(64, b"\0")
            return sm3(bytes(k ^ 0x5c for k in key) + sm3(bytes(k ^ 0x36 for k in key) + msg))
        out = {"sm3": [sm3(bytes.fromhex(m)).hex() for m in req["sm3"]],
               "sm4": [gmalg.SM4(bytes.fromhex(k)).encrypt(bytes.fromhex(b)).hex() for k, b in req["sm4"]],
               "hmac": [hmac_sm3(bytes.fromhex(k), bytes.fromhex(m)).hex() for k, m in req["hmac"]],
               "verify": [gmalg.SM2(pk=bytes.fromhex(c["pk"]), uid=c["uid"].encode()).verify(bytes.fromhex(c["msg"]), bytes.fromhex(c["r"]), bytes.fromhex(c["s"]))
                          for c in req["verify"]]}
        sk = bytes.fromhex(req["signKey"])
        signer = gmalg.SM2(sk=sk, uid=req["signUid"].encode(), pk=gmalg.SM2(sk=sk, uid=b"x").generate_pk(sk))
        r, s = signer.sign(bytes.fromhex(req["signMessage"]))
        out["signed"] = {"r": r.hex(), "s": s.hex()}
        json.dump(out, sys.stdout)
        """#

    static func gmalg(_ request: [String: Any]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CryptoError("gmalg", reason: "python3 with gmalg failed (pip install gmalg): \(problem)")
        }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test("SM3, SM4, HMAC-SM3 and SM2 agree with gmalg in both directions")
    func agree() throws {
        let messages = try [Data("abc".utf8), Data(), Data("政务信息化项目".utf8)] + (0..<5).map { try secureRandomBytes($0 * 37 + 1) }
        let blocks = try (0..<5).map { _ in (try secureRandomBytes(16), try secureRandomBytes(16)) }
        let macs = try (0..<4).map { i in (try secureRandomBytes([16, 32, 64, 100][i]), try secureRandomBytes(50)) }
        let annex = try SM2PrivateKey(rawScalar: Data(hex: AnnexA.privateKey)!)
        let fresh = try SM2.generateKey()
        var cases: [(key: SM2PrivateKey, uid: String, message: Data)] = [
            (annex, SM2.defaultUserId, AnnexA.message), (fresh, SM2.defaultUserId, Data("拨付".utf8)), (fresh, "市财政局", Data("拨付".utf8)),
        ]
        var verifies: [[String: String]] = []
        var expected: [Bool] = []
        for c in cases {
            let raw = try SM2.rawSignature(der: try SM2.sign(c.message, with: c.key, userId: c.uid))
            let pk = try c.key.publicKey.rawPoint().hexString  // 04 ‖ x ‖ y, as gmalg takes it
            verifies.append(["pk": pk, "uid": c.uid, "msg": c.message.hexString, "r": raw.r.hexString, "s": raw.s.hexString])
            expected.append(true)
            verifies.append(["pk": pk, "uid": c.uid + "0", "msg": c.message.hexString, "r": raw.r.hexString, "s": raw.s.hexString])
            expected.append(false)
        }
        cases.removeAll()
        let reply = try Self.gmalg([
            "sm3": messages.map(\.hexString), "sm4": blocks.map { [$0.0.hexString, $0.1.hexString] },
            "hmac": macs.map { [$0.0.hexString, $0.1.hexString] }, "verify": verifies,
            "signKey": AnnexA.privateKey, "signUid": SM2.defaultUserId, "signMessage": AnnexA.message.hexString,
        ])
        #expect(reply["sm3"] as? [String] == messages.map { SM3.hex($0) })
        #expect(reply["sm4"] as? [String] == (try blocks.map { try SM4.encryptBlock($0.1, key: $0.0).hexString }))
        #expect(reply["hmac"] as? [String] == macs.map { HMACSM3.authenticationCode(for: $0.1, key: $0.0).hexString })
        #expect(reply["verify"] as? [Bool] == expected, "gmalg verifies OpenSSL's signatures, and only under the signing user id")
        let signed = reply["signed"] as? [String: String] ?? [:]
        let der = try SM2.derSignature(r: Data(hex: signed["r"] ?? "")!, s: Data(hex: signed["s"] ?? "")!)
        #expect(SM2.verify(der, for: AnnexA.message, with: annex.publicKey), "OpenSSL verifies gmalg's signature")
        #expect(!SM2.verify(der, for: AnnexA.message, with: annex.publicKey, userId: "ALICE123@YAHOO.COM"))
    }
}
