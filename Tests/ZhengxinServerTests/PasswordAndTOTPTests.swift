import Foundation
import Testing
import ZhengxinCore

@testable import ZhengxinServer

/// The pure parts of authentication: password rules, RFC 6238 codes, base32, role exclusivity.
@Suite("Password rules, TOTP and role rules")
struct PasswordAndTOTPTests {
    @Test("length: 9 characters refused, 10 accepted (GB/T 22239-2019 8.1.4.1 a))")
    func length() {
        let policy = PasswordPolicy()
        #expect(policy.problem(with: "Abcdefg1!") != nil)  // 9, four classes
        #expect(policy.problem(with: "Abcdefgh1!") == nil)  // 10, four classes
    }

    @Test("classes: 2 of 4 refused, 3 of 4 accepted, each class counted")
    func classes() {
        let policy = PasswordPolicy()
        #expect(policy.problem(with: "abcdefghij12") != nil)  // lower + digit
        #expect(policy.problem(with: "ABCDEFGHIJ!!") != nil)  // upper + symbol
        #expect(policy.problem(with: "abcdefghij1!") == nil)  // lower + digit + symbol
        #expect(policy.problem(with: "Abcdefghij12") == nil)  // upper + lower + digit
        #expect(PasswordPolicy.classes(in: "aA1!") == 4)
        #expect(PasswordPolicy.classes(in: "政务信息化abc") == 2)
        #expect(policy.problem(with: "Zhengxin@2026") == nil)  // the demo password
        #expect(PasswordPolicy(minLength: 12, minClasses: 4).problem(with: "Abcdefghij1!") == nil)
        #expect(PasswordPolicy(minLength: 12, minClasses: 4).problem(with: "Abcdefghij12") != nil)
    }

    /// RFC 6238 Appendix B (SHA-1 seed), last six digits of the eight-digit values.
    @Test(
        "RFC 6238 test vectors",
        arguments: [
            (Int64(59), "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"),
            (1_234_567_890, "005924"), (2_000_000_000, "279037"), (20_000_000_000, "353130"),
        ])
    func rfcVectors(_ time: Int64, _ expected: String) {
        let secret = Array("12345678901234567890".utf8)
        #expect(TOTPCode.code(secret: secret, step: TOTPCode.step(at: time)) == expected)
        #expect(TOTPCode.matchingStep(expected, secret: secret, at: time) == TOTPCode.step(at: time))
    }

    @Test("window: one step either side matches, two steps do not; malformed codes never match")
    func window() {
        let secret = Array("12345678901234567890".utf8)
        let t: Int64 = 1_111_111_109
        let step = TOTPCode.step(at: t)
        #expect(TOTPCode.matchingStep(TOTPCode.code(secret: secret, step: step - 1), secret: secret, at: t) == step - 1)
        #expect(TOTPCode.matchingStep(TOTPCode.code(secret: secret, step: step + 1), secret: secret, at: t) == step + 1)
        #expect(TOTPCode.matchingStep(TOTPCode.code(secret: secret, step: step - 2), secret: secret, at: t) == nil)
        #expect(TOTPCode.matchingStep(TOTPCode.code(secret: secret, step: step + 2), secret: secret, at: t) == nil)
        #expect(TOTPCode.matchingStep("12345", secret: secret, at: t) == nil)
        #expect(TOTPCode.matchingStep("abcdef", secret: secret, at: t) == nil)
    }

    @Test("base32 round trip and the RFC 4648 example; the URI carries issuer, digits and period")
    func base32() {
        #expect(TOTPCode.base32(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(TOTPCode.secret(base32: "MZXW 6YTB-OI") == Array("foobar".utf8))  // as a person copies it
        #expect(TOTPCode.secret(base32: "mzxw6ytboi") == Array("foobar".utf8))
        #expect(TOTPCode.secret(base32: "MZ!") == nil)
        let secret = TOTPEnrolment.newSecret()
        #expect(TOTPCode.secret(base32: secret)?.count == 20)
        let uri = TOTPCode.uri(secretBase32: "MZXW6YTBOI", account: "drc")
        #expect(uri == "otpauth://totp/Zhengxin%3Adrc?secret=MZXW6YTBOI&issuer=Zhengxin&algorithm=SHA1&digits=6&period=30")
    }

    @Test("三权分立: at most one administrator role, never with staff or viewer")
    func exclusivity() {
        #expect(RoleRules.problem(with: [.staff]) == nil)
        #expect(RoleRules.problem(with: [.staff, .viewer]) == nil)
        for admin in Role.allCases where admin.isAdministrator {
            #expect(RoleRules.problem(with: [admin]) == nil)
            #expect(RoleRules.problem(with: [admin, .staff]) != nil)
            #expect(RoleRules.problem(with: [admin, .viewer]) != nil)
            for other in Role.allCases where other.isAdministrator && other != admin {
                #expect(RoleRules.problem(with: [admin, other]) != nil)
            }
        }
        #expect(RoleRules.problem(with: []) != nil)
        #expect(RoleRules.requiresSecondFactor(organisation: .unit, roles: [.securityAdmin]))
        #expect(RoleRules.requiresSecondFactor(organisation: .aud, roles: [.viewer]))
        #expect(!RoleRules.requiresSecondFactor(organisation: .unit, roles: [.staff]))
        #expect(!RoleRules.requiresSecondFactor(organisation: .vendor, roles: [.staff]))
    }

    @Test("lock messages name the Beijing time")
    func beijingTime() {
        let t = Instant(beijing: CivilDate(2026, 3, 2), hour: 10, minute: 30, second: 5).secondsSinceEpoch
        #expect(LoginFlow.beijing(t) == "2026-03-02 10:30:05")
        #expect(LoginFlow.locked(t).message.contains("2026-03-02 10:30:05"))
    }
}
