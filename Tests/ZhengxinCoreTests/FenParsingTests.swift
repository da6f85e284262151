import Foundation
import Testing

@testable import ZhengxinCore

/// Amounts typed into forms (Fen.parsing): 元 and 万元, grouping, full-width input, at the fen and
/// Int64 boundaries; every refusal says how to type the amount.
@Suite("Typed amounts")
struct FenParsingTests {
    static func fen(_ text: String) -> Int64? { try? Fen.parsing(text).get().value }
    static func refusal(_ text: String) -> String? {
        if case .failure(let r) = Fen.parsing(text) { return r.message }
        return nil
    }

    @Test("元: plain, grouped, with 元, at the 1000万元 boundary")
    func yuan() {
        #expect(Self.fen("1234567.89") == 123_456_789 && Self.fen("1,234,567.89") == 123_456_789)
        #expect(Self.fen("500") == 50_000 && Self.fen("500元") == 50_000 && Self.fen(" 500 元 ") == 50_000 && Self.fen("0.01") == 1)
        #expect(Self.fen("0") == 0 && Self.fen("1.5") == 150)
        #expect(Self.fen("9,999,999.99") == 999_999_999 && Self.fen("10,000,000.00") == 1_000_000_000)
        #expect(Self.fen("9999999.99元") == 999_999_999 && Self.fen("10000000元") == 1_000_000_000)
    }

    @Test("万元: 123.5万 is 1,235,000.00元; six decimals reach the fen, a seventh does not")
    func wan() {
        #expect(Self.fen("123.5万") == 123_500_000 && Self.fen("123.5万元") == 123_500_000 && Self.fen("123.5 万元") == 123_500_000)
        #expect(Self.fen("1000万") == 1_000_000_000 && Self.fen("999.999999万") == 999_999_999)  // 10,000,000.00 and 9,999,999.99元
        #expect(Self.fen("999.99999万") == 999_999_990)  // 9,999,999.90元: whole fen
        #expect(Self.fen("0.000001万") == 1 && Self.fen("1,234.5万") == 1_234_500_000)
        #expect(Self.refusal("999.9999999万")?.contains("最多六位小数") == true)  // 0.1 fen
        #expect(Self.refusal("0.0000001万") != nil)
    }

    @Test("full-width digits, comma and point as an input method types them")
    func fullWidth() {
        #expect(Self.fen("１２３４") == 123_400 && Self.fen("１，２３４．５６") == 123_456 && Self.fen("１２３．５万") == 123_500_000)
        #expect(Self.fen("\u{3000}１２元") == 1_200)
    }

    @Test("ambiguous or malformed amounts are refused with how to type them")
    func refused() {
        for bad in [
            "1,23", "12,3456", ",123", "1,,234", "1.234", "1.234元", "-1", "－５", "1e3", "", ".5", "5.", "万", "12万万", "12万元元",
            "12元万", "1 234", "12.3.4", "1.2,3", "abc", "１２ab", "NaN", "+5",
        ] {
            let message = Self.refusal(bad)
            #expect(message != nil, "\(bad)")
            #expect(message.map { $0.contains("如 ") || $0.contains("（如") } == true, "\(bad): \(message ?? "")")
        }
        #expect(Self.refusal("1,23") == AmountRefusal.grouping.message)
        #expect(Self.refusal("1.234") == AmountRefusal.yuanDecimals.message)
        #expect(Self.refusal("-1")?.hasPrefix("金额不能为负数") == true)
        #expect(Self.refusal("abc") == "请填写金额(元),如 1234567.89 或 123.5万")
    }

    @Test("Int64 fen: the largest amount is read, one fen more is refused as too large, in 元 and in 万元")
    func overflow() {
        #expect(Self.fen("92233720368547758.07") == Int64.max && Self.fen("92,233,720,368,547,758.07") == Int64.max)
        #expect(Self.refusal("92233720368547758.08")?.hasPrefix("金额过大") == true)
        #expect(Self.fen("9223372036854.775807万") == Int64.max)
        #expect(Self.refusal("9223372036854.775808万")?.hasPrefix("金额过大") == true)
        #expect(Self.refusal("99999999999999999999")?.hasPrefix("金额过大") == true)
        #expect(Fen(yuanText: "1,23") == nil && Fen(yuanText: "123.5万")?.value == 123_500_000)
    }

    @Test("what a form shows back parses to the same amount")
    func roundTrip() {
        for value: Int64 in [0, 1, 99, 100, 999_999_999, 1_000_000_000, Int64.max] {
            #expect(Self.fen(Fen(value).yuanInput) == value)
        }
    }
}
