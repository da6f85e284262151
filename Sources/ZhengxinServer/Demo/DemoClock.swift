import ZhengxinCore

/// The working day of one demo project (or of DRC on a plan's day): the first step on a day falls
/// between 9:00 and 17:00, each later step that day a few minutes after the one before, so a
/// project's audit entries are dated in the order its steps were taken. A step dated before the
/// one before would be a mistake in the story; `wentBack` says so and the seeder refuses it.
final class DemoClock {
    private var rng: SeededRandom
    private(set) var last: Instant?
    private(set) var wentBack = false

    init(seed: UInt64, index: Int) { rng = SeededRandom(seed: seed, stream: "demo-clock", index: index) }

    static let firstHours = [9, 9, 10, 10, 10, 11, 11, 14, 14, 15, 15, 16]

    func at(_ date: CivilDate) -> Instant {
        if let last, date < last.beijingDate { wentBack = true }
        let next: Instant
        if let last, last.beijingDate == date {
            let later = Instant(secondsSinceEpoch: last.secondsSinceEpoch + Int64.random(in: 120...720, using: &rng))
            next = later.beijingDate == date ? later : Instant(secondsSinceEpoch: last.secondsSinceEpoch + 1)
        } else {
            next = Instant(
                beijing: date, hour: Self.firstHours.randomElement(using: &rng)!, minute: Int.random(in: 0...59, using: &rng),
                second: Int.random(in: 0...59, using: &rng))
        }
        last = next
        return next
    }
}

extension CivilDate {
    /// Monday to Friday: the same day, else the Monday after (1970-01-01 was a Thursday).
    var workday: CivilDate {
        switch (daysSinceEpoch % 7 + 7 + 3) % 7 {
        case 5: return addingDays(2)
        case 6: return addingDays(1)
        default: return self
        }
    }
}

extension CivilDate {
    /// Monday to Friday: the same day, else the Friday before.
    var workdayOnOrBefore: CivilDate {
        switch (daysSinceEpoch % 7 + 7 + 3) % 7 {
        case 5: return addingDays(-1)
        case 6: return addingDays(-2)
        default: return self
        }
    }
}
