import Foundation
import Testing
import ZhengxinCrypto

/// The examples printed in the standards themselves.
@Suite("SM3/SM4 standard vectors")
struct StandardVectorTests {
    @Test("SM3(\"abc\") — GB/T 32905-2016 Annex A example 1")
    func sm3abc() {
        #expect(SM3.hex("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    }

    @Test("SM3 of 64 × \"abcd\" — GB/T 32905-2016 Annex A example 2")
    func sm3abcd() {
        #expect(SM3.hex(String(repeating: "abcd", count: 16)) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
    }

    @Test("SM4 one block — GB/T 32907-2016 Annex A example 1")
    func sm4Block() throws {
        let k = Data(hex: "0123456789abcdeffedcba9876543210")!
        let c = try SM4.encryptBlock(k, key: k)
        #expect(c.hexString == "681edf34d206965e86b3e94f536e4246")
        #expect(try SM4.decryptBlock(c, key: k) == k)
    }

    @Test("SM4 encrypted 1,000,000 times — GB/T 32907-2016 Annex A example 2")
    func sm4Million() throws {
        let k = Data(hex: "0123456789abcdeffedcba9876543210")!
        var block = k
        for _ in 0..<1_000_000 { block = try SM4.encryptBlock(block, key: k) }
        #expect(block.hexString == "595298c7c6fd271f0402f804c33d3f66")
    }

    @Test("SM4-CBC round trip with padding; sealed values refuse any flipped bit")
    func sm4Sealed() throws {
        let key = try secureRandomBytes(16)
        let iv = try secureRandomBytes(16)
        for length in [0, 1, 15, 16, 17, 1000] {
            let plain = try secureRandomBytes(length)
            #expect(try SM4.decryptCBC(try SM4.encryptCBC(plain, key: key, iv: iv), key: key, iv: iv) == plain)
        }
        let secret = Data("身份证号 410102199001011234".utf8)
        let sealed = try SM4.seal(secret, key: key)
        #expect(try SM4.open(sealed, key: key) == secret)
        #expect(sealed.range(of: secret) == nil)
        #expect(try SM4.seal(secret, key: key) != sealed, "fresh IV each time")
        for index in [0, 1, 20, sealed.count - 1] {
            var tampered = sealed
            tampered[index] ^= 0x01
            #expect(throws: CryptoError.self) { try SM4.open(tampered, key: key) }
        }
        #expect(throws: CryptoError.self) { try SM4.open(sealed, key: try secureRandomBytes(16)) }
    }

    @Test("HMAC-SM3 rejects another key or message")
    func hmac() {
        let key = Data("key".utf8), message = Data("message".utf8)
        let code = HMACSM3.authenticationCode(for: message, key: key)
        #expect(code.count == 32)
        #expect(HMACSM3.isValid(code, for: message, key: key))
        #expect(!HMACSM3.isValid(code, for: Data("messagE".utf8), key: key))
        #expect(!HMACSM3.isValid(code, for: message, key: Data("kez".utf8)))
    }
}
