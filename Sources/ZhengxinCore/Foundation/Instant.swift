/// A point in time as whole seconds since the Unix epoch (UTC). The core never reads a clock:
/// the server passes `now` in. Beijing time is UTC+8 all year (no daylight saving since 1991),
/// so the conversion is exact arithmetic, not a time-zone database lookup.
public struct Instant: Hashable, Comparable, Sendable, Codable {
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    public static let beijingOffsetSeconds: Int64 = 8 * 3600

    /// The instant of a Beijing wall-clock time.
    public init(beijing date: CivilDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.secondsSinceEpoch = local - Instant.beijingOffsetSeconds
    }

    /// The calendar date in Beijing at this instant.
    public var beijingDate: CivilDate {
        let local = secondsSinceEpoch + Instant.beijingOffsetSeconds
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return CivilDate(daysSinceEpoch: Int(days))
    }

    public static func < (a: Instant, b: Instant) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    public init(from decoder: Decoder) throws {
        secondsSinceEpoch = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(secondsSinceEpoch)
    }
}
