import Foundation
import Testing
import ZhengxinCrypto

/// GB/T 32918.5-2017 Annex A (the SM2 digital-signature example on the recommended curve,
/// user id 1234567812345678, message "message digest").
enum AnnexA {
    static let privateKey = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"
    static let publicPoint =
        "04" + "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
        + "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13"
    static let r = "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
    static let s = "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa"
    static let message = Data("message digest".utf8)
}

@Suite("SM2 signatures")
struct SM2Tests {
    @Test("the Annex A private key gives the Annex A public key")
    func publicKeyFromAnnexKey() throws {
        let key = try SM2PrivateKey(rawScalar: Data(hex: AnnexA.privateKey)!)
        #expect(try key.publicKey.rawPoint().hexString == AnnexA.publicPoint)
    }

    @Test("the standard's own signature (r, s) verifies; another message or user id does not")
    func annexSignatureVerifies() throws {
        let pub = try SM2PublicKey(rawPoint: Data(hex: AnnexA.publicPoint)!)
        let der = try SM2.derSignature(r: Data(hex: AnnexA.r)!, s: Data(hex: AnnexA.s)!)
        #expect(SM2.verify(der, for: AnnexA.message, with: pub))
        #expect(!SM2.verify(der, for: Data("message digesT".utf8), with: pub))
        #expect(!SM2.verify(der, for: AnnexA.message, with: pub, userId: "ALICE123@YAHOO.COM"))
    }

    @Test("a signature made with the Annex A key verifies, and fails with a changed message or user id")
    func signWithAnnexKey() throws {
        let key = try SM2PrivateKey(rawScalar: Data(hex: AnnexA.privateKey)!)
        let signature = try SM2.sign(AnnexA.message, with: key)
        #expect(SM2.verify(signature, for: AnnexA.message, with: key.publicKey))
        #expect(!SM2.verify(signature, for: Data("message digesu".utf8), with: key.publicKey))
        #expect(!SM2.verify(signature, for: AnnexA.message, with: key.publicKey, userId: "1234567812345679"))
        let other = try SM2.generateKey()
        #expect(!SM2.verify(signature, for: AnnexA.message, with: other.publicKey))
        var flipped = signature
        flipped[flipped.count - 1] ^= 0x01
        #expect(!SM2.verify(flipped, for: AnnexA.message, with: key.publicKey))
        #expect(!SM2.verify(Data("garbage".utf8), for: AnnexA.message, with: key.publicKey))
    }

    @Test("generated keys survive PEM export and import; a custom user id binds the signature")
    func pemRoundTrip() throws {
        let key = try SM2.generateKey()
        let privatePEM = try key.pemRepresentation()
        let publicPEM = try key.publicKey.pemRepresentation()
        #expect(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let restored = try SM2PrivateKey(pem: privatePEM)
        let restoredPublic = try SM2PublicKey(pem: publicPEM)
        #expect(try restoredPublic.rawPoint() == key.publicKey.rawPoint())
        let message = Data("批复:同意建设".utf8)
        let signature = try SM2.sign(message, with: restored, userId: "市发展改革委")
        #expect(SM2.verify(signature, for: message, with: restoredPublic, userId: "市发展改革委"))
        #expect(!SM2.verify(signature, for: message, with: restoredPublic))
        #expect(throws: CryptoError.self) { try SM2PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
    }
}
