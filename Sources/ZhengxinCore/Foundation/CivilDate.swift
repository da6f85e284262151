/// A calendar date in Asia/Shanghai (北京时间). The Measures count in calendar days and months.
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// nil when the triple is not a real date (e.g. 2023-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CivilDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// For literals in tests and policy tables; traps on an impossible date.
    public init(_ year: Int, _ month: Int, _ day: Int) {
        guard let d = CivilDate(year: year, month: month, day: day) else {
            preconditionFailure("invalid date \(year)-\(month)-\(day)")
        }
        self = d
    }

    /// Parses "YYYY-MM-DD": exactly ten ASCII bytes, digits and the two dashes ("2024-+2-28", full-width
    /// digits and surrounding spaces are refused). Byte by byte: every date of every record read comes
    /// through here, and splitting the string and testing Characters showed in the deadline scan's time.
    public init?(iso: String) {
        var y = 0, m = 0, d = 0, i = 0
        for b in iso.utf8 {
            switch i {
            case 4, 7:
                guard b == UInt8(ascii: "-") else { return nil }
            case 0..<10:
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                let v = Int(b - UInt8(ascii: "0"))
                if i < 4 { y = y * 10 + v } else if i < 7 { m = m * 10 + v } else { d = d * 10 + v }
            default:
                return nil
            }
            i += 1
        }
        guard i == 10 else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// "N months after D": calendar-month addition clamped to the month's end,
    /// so 2024-08-31 + 6 months is 2025-02-28.
    public func addingMonths(_ n: Int) -> CivilDate {
        // Saturating like the bounds below: a count of months near Int.max (a policy's, say) traps otherwise.
        let (index, overflow) = (year * 12 + (month - 1)).addingReportingOverflow(n)
        if overflow { return n < 0 ? CivilDate.first : CivilDate.last }
        if index < 12 { return CivilDate.first }
        if index > 9999 * 12 + 11 { return CivilDate.last }
        let y = index / 12
        let m = index % 12 + 1
        return CivilDate(year: y, month: m, day: min(day, CivilDate.daysIn(month: m, year: y)))!
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for day arithmetic.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The first and last dates a calculation can reach: past them day and month arithmetic stops
    /// (saturates) rather than trapping, so no stored date can bring down the deadline scan. Dates from
    /// requests are held to `requestYears`, far inside these.
    public static let first = CivilDate(1, 1, 1), last = CivilDate(9999, 12, 31)

    /// The years a date sent in a request may have (a payload decoded by PayloadDecoding): a project's
    /// dates are within its century, and a deadline of 9999-12-31 was stored as an urge's answer-by
    /// date, then trapped the daily scan at the day after it.
    public static let requestYears = 1900...2199

    /// Marks a decoder of request bodies, whose dates are held to `requestYears`; stored records are
    /// read without it, so a date stored before the bound still reads.
    public static let requestInput = CodingUserInfoKey(rawValue: "zhengxin.requestInput")!

    public init(daysSinceEpoch z0: Int) {
        guard z0 >= CivilDate.first.daysSinceEpoch else {
            self = CivilDate.first
            return
        }
        guard z0 <= CivilDate.last.daysSinceEpoch else {
            self = CivilDate.last
            return
        }
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.init(y, m, d)
    }

    public func addingDays(_ n: Int) -> CivilDate {
        let (days, overflow) = daysSinceEpoch.addingReportingOverflow(n)
        return overflow ? (n < 0 ? CivilDate.first : CivilDate.last) : CivilDate(daysSinceEpoch: days)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// "YYYY-MM-DD" (the year is 1...9999, so always four digits), written byte by byte.
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { b in
            func put(_ value: Int, at start: Int, width: Int) {
                var v = value
                for k in stride(from: start + width - 1, through: start, by: -1) {
                    b[k] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
            }
            put(year, at: 0, width: 4)
            b[4] = UInt8(ascii: "-")
            put(month, at: 5, width: 2)
            b[7] = UInt8(ascii: "-")
            put(day, at: 8, width: 2)
            return 10
        }
    }

    /// "2021年6月30日" for messages.
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = CivilDate(iso: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "日期应为 YYYY-MM-DD 格式的有效日期: \(s)")
        }
        if decoder.userInfo[CivilDate.requestInput] as? Bool == true, !CivilDate.requestYears.contains(d.year) {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "日期应在\(CivilDate.requestYears.lowerBound)-01-01至\(CivilDate.requestYears.upperBound)-12-31之间: \(s)"
            )
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
