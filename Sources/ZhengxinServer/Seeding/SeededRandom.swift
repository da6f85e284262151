import Foundation

/// SplitMix64: a small, fast generator whose whole state is one number, so a seeded portfolio (the
/// demo's, the benchmark's) is the same on every machine for the same seed (Swift's own generator
/// is not seedable).
package struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    /// The generator of one item of a stream (project `index` of seed `seed`), independent of the others,
    /// so items can be produced in any order or in parallel and still come out the same.
    package init(seed: UInt64, stream: String, index: Int) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the stream name
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        state = seed ^ h ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
        _ = next()
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A version-4-shaped UUID from the stream.
    package mutating func uuid() -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for half in 0..<2 {
            let v = next()
            for i in 0..<8 { bytes[half * 8 + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) }
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// A UUIDv7 (TimeOrderedUUID) whose time field is `milliseconds`, the rest from the stream.
    package mutating func uuid(v7 milliseconds: UInt64) -> UUID {
        TimeOrderedUUID.make(milliseconds: milliseconds, random: (next(), next()))
    }

    /// Picks by weight: `[(value, weight)]`.
    package mutating func weighted<T>(_ choices: [(T, Int)]) -> T {
        var r = Int.random(in: 0..<choices.map(\.1).reduce(0, +), using: &self)
        for (value, weight) in choices {
            if r < weight { return value }
            r -= weight
        }
        return choices.last!.0
    }

    package mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }
}
