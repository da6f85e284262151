/// Money as integer fen (分). Never floating point: every rule compares exact integers.
public struct Fen: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    /// Whole yuan (元), e.g. `Fen(yuan: 10_000_000)` is 1000万元.
    public init(yuan: Int64) { self.value = yuan * 100 }

    public static let zero = Fen(0)

    public static func < (a: Fen, b: Fen) -> Bool { a.value < b.value }

    /// Sum that reports overflow instead of trapping; amounts come from outside.
    public func adding(_ other: Fen) -> Fen? {
        let (sum, overflow) = value.addingReportingOverflow(other.value)
        return overflow ? nil : Fen(sum)
    }

    public func subtracting(_ other: Fen) -> Fen? {
        let (diff, overflow) = value.subtractingReportingOverflow(other.value)
        return overflow ? nil : Fen(diff)
    }

    /// "12,345.67元" as Chinese finance staff write amounts.
    public var yuanText: String {
        let negative = value < 0
        let magnitude = value.magnitude
        let whole = magnitude / 100
        let cents = magnitude % 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        let centsText = cents < 10 ? "0\(cents)" : "\(cents)"
        return (negative ? "-" : "") + grouped + "." + centsText + "元"
    }

    public var description: String { yuanText }

    /// "1000万元", "2500.5万元": thresholds as the Measures write them (第九条).
    public var wanText: String {
        let wan = value / 1_000_000
        let rest = value % 1_000_000
        guard rest != 0 else { return "\(wan)万元" }
        var fraction = String(String(rest.magnitude + 1_000_000).dropFirst())  // six digits: 万元 to the fen
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (value < 0 && wan == 0 ? "-" : "") + "\(wan).\(fraction)万元"
    }

    public init(from decoder: Decoder) throws {
        value = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

extension Sequence where Element == Fen {
    /// Total, or nil on overflow.
    public func total() -> Fen? {
        var sum = Fen.zero
        for f in self {
            guard let s = sum.adding(f) else { return nil }
            sum = s
        }
        return sum
    }
}
