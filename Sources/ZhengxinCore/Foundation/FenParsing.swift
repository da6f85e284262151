import Foundation

/// Why a typed amount was not read: one Chinese sentence that says how to type it.
public struct AmountRefusal: Error, Sendable, Hashable {
    public var message: String
    static let example = "如 1234567.89 或 123.5万"
    static let general = AmountRefusal(message: "请填写金额(元),\(example)")
    static let negative = AmountRefusal(message: "金额不能为负数,请填写金额(元),\(example)")
    static let grouping = AmountRefusal(message: "千分位逗号须每三位一组(如 1,234,567.89),或不用逗号(如 1234567.89)")
    static let yuanDecimals = AmountRefusal(message: "以元为单位最多两位小数(到分),\(example)")
    static let wanDecimals = AmountRefusal(message: "以万元为单位最多六位小数(到分),如 123.5万 或 123.456789万")
    static let tooLarge = AmountRefusal(message: "金额过大,请核对后填写金额(元),\(example)")
}

/// Amounts typed by people into forms, read into exact fen without floating point: in 元
/// ("1,234,567.89", "500", "500元", at most two decimals) or in 万元 ("123.5万", "123.5万元", at most
/// six decimals, i.e. to the fen); full-width digits, comma and point as an input method types them
/// ("１２３４"). Anything that could be read two ways is refused with how to type it: a comma not
/// grouping by threes ("1,23"), a third decimal of 元, a sign, two units ("万万"). The JSON API keeps
/// exact integer fen and never comes here.
extension Fen {
    public static func parsing(_ raw: String) -> Result<Fen, AmountRefusal> {
        var text = String(raw.unicodeScalars.map(halfWidth).map(Character.init)).trimmingCharacters(in: .whitespaces)
        var perUnit: Int64 = 100, maxDecimals = 2  // fen per unit typed, and the decimals that reach a fen
        if text.hasSuffix("万元") {
            text.removeLast(2)
            (perUnit, maxDecimals) = (1_000_000, 6)
        } else if text.hasSuffix("万") {
            text.removeLast()
            (perUnit, maxDecimals) = (1_000_000, 6)
        } else if text.hasSuffix("元") {
            text.removeLast()
        }
        text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("-") || text.hasPrefix("−") { return .failure(.negative) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2, !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty,
            text.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "," || $0 == "." })
        else { return .failure(.general) }
        let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
        guard !fraction.contains(","), isGroupedDigits(whole) else { return .failure(.grouping) }
        guard fraction.count <= maxDecimals else { return .failure(maxDecimals == 2 ? .yuanDecimals : .wanDecimals) }
        // whole × perUnit + fraction scaled to fen, each step checked for overflow.
        var units: Int64 = 0
        for ch in whole where ch != "," {
            let (times, o1) = units.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(ch.wholeNumberValue!))
            if o1 || o2 { return .failure(.tooLarge) }
            units = plus
        }
        let padded = fraction + String(repeating: "0", count: maxDecimals - fraction.count)
        let part = padded.compactMap(\.wholeNumberValue).reduce(Int64(0)) { $0 * 10 + Int64($1) }
        let (fen, o3) = units.multipliedReportingOverflow(by: perUnit)
        let (total, o4) = fen.addingReportingOverflow(part)
        if o3 || o4 { return .failure(.tooLarge) }
        return .success(Fen(total))
    }

    /// The same, nil when refused.
    public init?(yuanText raw: String) {
        guard case .success(let fen) = Fen.parsing(raw) else { return nil }
        self = fen
    }

    /// Full-width digits, comma, point, minus and space (U+FF10…FF19, U+FF0C, U+FF0E, U+FF0D, U+3000)
    /// as their ASCII forms; anything else unchanged.
    private static func halfWidth(_ s: Unicode.Scalar) -> Unicode.Scalar {
        switch s.value {
        case 0xFF10...0xFF19: return Unicode.Scalar(s.value - 0xFF10 + 0x30)!
        case 0xFF0C: return ","
        case 0xFF0E: return "."
        case 0xFF0D: return "-"
        case 0x3000: return " "
        default: return s
        }
    }

    /// Plain ASCII digits, or digits grouped by commas in threes ("1,234,567").
    private static func isGroupedDigits(_ s: Substring) -> Bool {
        guard s.contains(",") else { return true }
        let groups = s.split(separator: ",", omittingEmptySubsequences: false)
        return !groups[0].isEmpty && groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    /// The amount in 元 as a form shows it back: "1234567.89" (no grouping, so it parses again).
    public var yuanInput: String {
        let magnitude = value.magnitude
        let cents = magnitude % 100
        return (value < 0 ? "-" : "") + "\(magnitude / 100)." + (cents < 10 ? "0\(cents)" : "\(cents)")
    }
}
