import Foundation

/// Amounts typed by people: "1,234,567.89", "1234567.8", "500" or "500元", in 元 with at most two
/// decimals, read into exact fen without floating point. Used by the web forms.
extension Fen {
    public init?(yuanText raw: String) {
        var text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("元") { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2 else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, fraction.count <= 2, parts.count == 1 || !fraction.isEmpty,
              fraction.allSatisfy({ $0.isASCII && $0.isNumber }), Self.isGroupedDigits(whole) else { return nil }
        var value: Int64 = 0
        for ch in whole where ch != "," {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(ch.wholeNumberValue!))
            if o1 || o2 { return nil }
            value = plus
        }
        let cents = Int64((fraction + String(repeating: "0", count: 2 - fraction.count)).compactMap(\.wholeNumberValue)
            .reduce(0) { $0 * 10 + $1 })
        let (fen, o3) = value.multipliedReportingOverflow(by: 100)
        let (total, o4) = fen.addingReportingOverflow(cents)
        if o3 || o4 { return nil }
        self.init(total)
    }

    /// Plain ASCII digits, or digits grouped by commas in threes ("1,234,567").
    private static func isGroupedDigits(_ s: Substring) -> Bool {
        guard s.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "," }) else { return false }
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
