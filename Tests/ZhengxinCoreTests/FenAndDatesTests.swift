import Foundation
import Testing

@testable import ZhengxinCore

/// Money is integer fen; dates are Beijing calendar dates; "N months after" clamps.
@Suite("Fen: money in integer fen")
struct FenTests {
    // Amounts shown as 元 with thousands separators, exact from fen.
    @Test func yuanTextGroupsThousandsAndKeepsTwoDecimals() {
        #expect(Fen(0).yuanText == "0.00元")
        #expect(Fen(5).yuanText == "0.05元")
        #expect(Fen(10).yuanText == "0.10元")
        #expect(Fen(99_999).yuanText == "999.99元")
        #expect(Fen(100_000).yuanText == "1,000.00元")
        #expect(Fen(999_999_999).yuanText == "9,999,999.99元")
        #expect(Fen(yuan: 50_000_000).yuanText == "50,000,000.00元")
        #expect(Fen(-100).yuanText == "-1.00元")
        #expect(Fen(-123_456_789).yuanText == "-1,234,567.89元")
        #expect(Fen(Int64.max).yuanText == "92,233,720,368,547,758.07元")
        #expect(Fen(Int64.min).yuanText == "-92,233,720,368,547,758.08元")
    }

    // 1元 = 100 fen.
    @Test func yuanInitialiserIsHundredFen() {
        #expect(Fen(yuan: 10_000_000).value == 1_000_000_000)
    }

    // Sums of outside amounts never trap; overflow is nil.
    @Test func addingAndSubtractingReportOverflowAsNil() {
        #expect(Fen(1).adding(Fen(2)) == Fen(3))
        #expect(Fen(Int64.max).adding(Fen(1)) == nil)
        #expect(Fen(Int64.min).adding(Fen(-1)) == nil)
        #expect(Fen(Int64.min).subtracting(Fen(1)) == nil)
        #expect(Fen(5).subtracting(Fen(7)) == Fen(-2))
        #expect([Fen(1), Fen(2), Fen(3)].total() == Fen(6))
        #expect([Fen(Int64.max), Fen(1)].total() == nil)
        #expect([Fen]().total() == .zero)
    }

    // Fen travel as plain integers.
    @Test func codableAsPlainInteger() throws {
        let data = try JSONEncoder().encode([Fen(12_345)])
        #expect(String(decoding: data, as: UTF8.self) == "[12345]")
        #expect(try JSONDecoder().decode([Fen].self, from: Data("[7]".utf8)) == [Fen(7)])
    }

    // Policy.checkAmount: the shared INPUT test for every money field.
    @Test func checkAmountRefusesZeroNegativeAndAboveMaximum() {
        let policy = Policy.zhengzhou2020
        #expect(policy.checkAmount(Fen(1), field: "x") == nil)
        #expect(policy.checkAmount(policy.maximumAmount, field: "x") == nil)
        #expect(policy.checkAmount(Fen(0), field: "x")?.isInputError == true)
        #expect(policy.checkAmount(Fen(0), field: "x", allowZero: true) == nil)
        #expect(policy.checkAmount(Fen(-1), field: "x", allowZero: true)?.field == "x")
        #expect(policy.checkAmount(Fen(policy.maximumAmount.value + 1), field: "x")?.rule == "INPUT")
    }
}

@Suite("CivilDate and Instant: Beijing dates")
struct CivilDateTests {
    // "N months after D" is calendar-month addition clamped to the month's end.
    @Test(arguments: [
        (CivilDate(2024, 8, 31), 6, CivilDate(2025, 2, 28)),
        (CivilDate(2023, 8, 31), 6, CivilDate(2024, 2, 29)),
        (CivilDate(2024, 11, 30), 3, CivilDate(2025, 2, 28)),
        (CivilDate(2024, 1, 31), 1, CivilDate(2024, 2, 29)),
        (CivilDate(2024, 3, 31), 1, CivilDate(2024, 4, 30)),
        (CivilDate(2023, 12, 15), 1, CivilDate(2024, 1, 15)),
        (CivilDate(2024, 2, 29), 12, CivilDate(2025, 2, 28)),
        (CivilDate(2024, 3, 31), -1, CivilDate(2024, 2, 29)),
        (CivilDate(2024, 5, 15), 0, CivilDate(2024, 5, 15)),
    ])
    func addingMonthsClampsToMonthEnd(_ start: CivilDate, _ months: Int, _ expected: CivilDate) {
        #expect(start.addingMonths(months) == expected)
    }

    // Gregorian leap years; impossible dates are nil.
    @Test func leapYears() {
        #expect(CivilDate.isLeap(2024))
        #expect(CivilDate.isLeap(2000))
        #expect(!CivilDate.isLeap(2023))
        #expect(!CivilDate.isLeap(1900))
        #expect(!CivilDate.isLeap(2100))
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2024, month: 4, day: 31) == nil)
        #expect(CivilDate(year: 2024, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2024, month: 1, day: 0) == nil)
    }

    // YYYY-MM-DD.
    @Test func isoParsesValidDates() {
        #expect(CivilDate(iso: "2024-02-29") == CivilDate(2024, 2, 29))
        #expect(CivilDate(iso: "2021-06-30") == CivilDate(2021, 6, 30))
    }

    // Anything but a real YYYY-MM-DD (ASCII digits, no signs) is refused.
    @Test(arguments: [
        "2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-2-29", "24-02-29", "20240229", "2024/02/29",
        "2024-02-29T00:00:00", "2024-02-", "", "abcd-ef-gh", " 2024-02-28", "2024-02-28 ",
        "+024-02-28", "2024-+2-28", "2024-02-+8", "2024--2-28", "２０２４-02-28",
    ])
    func isoRejectsInvalidDatesAndBadFormats(_ text: String) {
        #expect(CivilDate(iso: text) == nil)
    }

    // ISO text and 年月日 for messages.
    @Test func descriptionAndChinese() {
        #expect(CivilDate(2021, 6, 30).description == "2021-06-30")
        #expect(CivilDate(5, 1, 2).description == "0005-01-02")
        #expect(CivilDate(2021, 6, 30).chinese == "2021年6月30日")
    }

    // Arithmetic past the calendar's ends stops there instead of trapping: a stored 9999-12-31 deadline
    // once stopped the deadline scan (and the server) at the day after it.
    @Test func arithmeticSaturatesAtTheCalendarsEnds() {
        #expect(CivilDate.last.addingDays(1) == CivilDate.last)
        #expect(CivilDate.last.addingMonths(6) == CivilDate.last)
        #expect(CivilDate(9999, 12, 30).addingDays(1) == CivilDate.last)
        #expect(CivilDate.first.addingDays(-1) == CivilDate.first)
        // Counts near Int's bounds (a policy's months, say) saturate too, never trap.
        #expect(CivilDate(2026, 6, 30).addingMonths(Int.max) == CivilDate.last)
        #expect(CivilDate(2026, 6, 30).addingMonths(Int.min) == CivilDate.first)
        #expect(CivilDate(2026, 6, 30).addingDays(Int.max) == CivilDate.last)
        #expect(CivilDate(2026, 6, 30).addingDays(Int.min) == CivilDate.first)
        #expect(CivilDate.first.addingDays(Int.min) == CivilDate.first)  // its days before 1970 plus Int.min overflow
        #expect(CivilDate.first.addingMonths(-1) == CivilDate.first)
        #expect(CivilDate(daysSinceEpoch: Int.max / 2) == CivilDate.last)
    }

    // Dates in requests are held to 1900–2199 and named on their field; stored records read any date.
    @Test func requestDatesAreBounded() throws {
        struct Body: Decodable { var on: CivilDate }
        func decode(_ day: String) -> Result<Body, PayloadDecoding.Invalid> {
            PayloadDecoding.decode(Body.self, from: Data("{\"on\":\"\(day)\"}".utf8))
        }
        for day in ["1899-12-31", "2200-01-01", "9999-12-31", "0001-01-01"] {
            guard case .failure(let invalid) = decode(day) else {
                Issue.record("\(day) accepted")
                continue
            }
            #expect(invalid.violations.map(\.field) == ["on"], "\(day)")
        }
        for day in ["1900-01-01", "2199-12-31", "2026-06-30"] {
            #expect((try? decode(day).get())?.on == CivilDate(iso: day), "\(day)")
        }
        #expect(try JSONDecoder().decode(Body.self, from: Data(#"{"on":"9999-12-31"}"#.utf8)).on == CivilDate.last)
    }

    // The byte-wise text form against the definition it replaced: every day of 1899–2101, every 13th day from 0001-01-01 to 9999-12-31.
    @Test func isoTextRoundTripsOnEveryDay() {
        func padded(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        var day = CivilDate(1, 1, 1).daysSinceEpoch
        let last = CivilDate(9999, 12, 31).daysSinceEpoch
        var mismatches = 0
        while day <= last {
            let d = CivilDate(daysSinceEpoch: day)
            let text = d.description
            if text != "\(padded(d.year, 4))-\(padded(d.month, 2))-\(padded(d.day, 2))" || CivilDate(iso: text) != d { mismatches += 1 }
            day += (1899...2101).contains(d.year) ? 1 : 13
        }
        #expect(mismatches == 0)
        #expect(CivilDate(iso: "2024-02-29") == CivilDate(2024, 2, 29))
        #expect(CivilDate(iso: "0000-01-01") == nil)
        #expect(CivilDate(iso: "2024-02-29x") == nil)
        #expect(CivilDate(iso: "2024-02-2") == nil)
    }

    // Day arithmetic round-trips across two centuries.
    @Test func daysSinceEpochKnownValuesAndRoundTrip() {
        #expect(CivilDate(1970, 1, 1).daysSinceEpoch == 0)
        #expect(CivilDate(1969, 12, 31).daysSinceEpoch == -1)
        #expect(CivilDate(2000, 3, 1).daysSinceEpoch == 11_017)
        var day = CivilDate(1899, 12, 25).daysSinceEpoch
        while day < CivilDate(2101, 1, 5).daysSinceEpoch {
            let d = CivilDate(daysSinceEpoch: day)
            #expect(d.daysSinceEpoch == day)
            #expect(d.addingDays(1).daysSinceEpoch == day + 1)
            day += 17
        }
        #expect(CivilDate(2024, 2, 28).addingDays(1) == CivilDate(2024, 2, 29))
        #expect(CivilDate(2023, 2, 28).addingDays(1) == CivilDate(2023, 3, 1))
        #expect(CivilDate(2023, 12, 31).addingDays(1) == CivilDate(2024, 1, 1))
    }

    // Dates travel as ISO strings; impossible ones do not decode.
    @Test func codableAsIsoStringAndRefusesImpossibleDates() throws {
        let data = try JSONEncoder().encode([CivilDate(2024, 2, 29)])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2024-02-29\"]")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CivilDate].self, from: Data("[\"2023-02-29\"]".utf8)) }
    }

    // Beijing is UTC+8: 15:59:59Z is still the same day, 16:00:00Z is the next.
    @Test func instantToBeijingDateAtMidnightBoundary() {
        let utcMidnight = Int64(CivilDate(2026, 6, 30).daysSinceEpoch) * 86_400
        let before = Instant(secondsSinceEpoch: utcMidnight + 15 * 3600 + 59 * 60 + 59)
        let after = Instant(secondsSinceEpoch: utcMidnight + 16 * 3600)
        #expect(before.beijingDate == CivilDate(2026, 6, 30))
        #expect(after.beijingDate == CivilDate(2026, 7, 1))
        #expect(Instant(beijing: CivilDate(2026, 7, 1)) == after)
        #expect(Instant(beijing: CivilDate(2026, 6, 30), hour: 23, minute: 59, second: 59) == before)
        #expect(Instant(beijing: CivilDate(2026, 6, 30), hour: 8).secondsSinceEpoch == utcMidnight)
    }

    // Beijing date of instants before 1970 floors correctly.
    @Test func instantBeforeEpochFloorsToThePreviousDay() {
        #expect(Instant(secondsSinceEpoch: -1).beijingDate == CivilDate(1970, 1, 1))
        #expect(Instant(secondsSinceEpoch: -8 * 3600).beijingDate == CivilDate(1970, 1, 1))
        #expect(Instant(secondsSinceEpoch: -8 * 3600 - 1).beijingDate == CivilDate(1969, 12, 31))
    }

    // R-DEC-1, 第七条: the deadline instant is 23:59:59 Beijing on 30 June of Y−1.
    @Test func declarationDeadlineIsLastSecondOfThirtiethJune() {
        #expect(
            Policy.zhengzhou2020.declarationDeadline(planYear: 2027)
                == Instant(beijing: CivilDate(2026, 6, 30), hour: 23, minute: 59, second: 59))
    }
}
