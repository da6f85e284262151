import Foundation

/// A decimal figure of the 绩效目标 table (a target, an actual value, a weight or a score), held as
/// an integer count of 1/10⁴ so that comparing and adding is exact: "99.99" + "0.01" is 100, never
/// 99.99999. Typed as text because JSON numbers with a fraction are refused at the door (JSONShape)
/// and a browser's form posts text anyway.
public struct PerformanceFigure: Hashable, Sendable, Comparable, Codable {
    /// Ten-thousandths.
    public let scaled: Int64

    public static let scale: Int64 = 10_000
    /// Integer digits accepted (10¹² leaves ample room for sums of 50 figures in Int64).
    public static let maximumIntegerDigits = 12
    public static let maximumFractionDigits = 4

    public init(scaled: Int64) { self.scaled = scaled }
    public init(whole: Int64) { self.scaled = whole * Self.scale }

    public static let zero = PerformanceFigure(scaled: 0)
    public static let hundred = PerformanceFigure(whole: 100)

    /// Parses "95", "0.5", "12.3456": ASCII digits and one point only; no sign, no
    /// exponent, no grouping. `fractionDigits` bounds the places (2 for weights and scores: 分).
    public static func parse(_ text: String, fractionDigits: Int = maximumFractionDigits) -> PerformanceFigure? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.utf8.count <= 40 else { return nil }
        let parts = t.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !whole.isEmpty, whole.count <= maximumIntegerDigits, whole.allSatisfy(\.isASCIIDigit) else { return nil }
        if parts.count > 1 {
            guard !fraction.isEmpty, fraction.count <= fractionDigits, fraction.allSatisfy(\.isASCIIDigit) else { return nil }
        }
        var value = Int64(whole)! * scale
        var unit = scale / 10
        for digit in fraction {
            value += Int64(digit.asciiValue! - 48) * unit
            unit /= 10
        }
        return PerformanceFigure(scaled: value)
    }

    /// "95", "0.5", "33.33": no trailing zeros after the point.
    public var text: String {
        let whole = scaled / Self.scale
        var fraction = scaled % Self.scale
        guard fraction != 0 else { return String(whole) }
        var digits = 4
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let padded = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - padded.count) + padded
    }

    public static func < (a: PerformanceFigure, b: PerformanceFigure) -> Bool { a.scaled < b.scaled }
    public static func + (a: PerformanceFigure, b: PerformanceFigure) -> PerformanceFigure {
        PerformanceFigure(scaled: a.scaled + b.scaled)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let v = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a decimal figure")
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
