import Foundation

/// UUIDv7 (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, the version, then random bits.
/// Ids made later sort later, so an append-only table's id index (the audit record's) grows at its
/// end: with random (v4) ids every new entry dirtied a random leaf of an index of millions.
enum TimeOrderedUUID {
    /// The id with time field `milliseconds` and the other bits from `random`.
    static func make(milliseconds: UInt64, random: (UInt64, UInt64)) -> UUID {
        var b = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { b[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * UInt64(5 - i))) }
        for i in 6..<8 { b[i] = UInt8(truncatingIfNeeded: random.0 >> (8 * UInt64(i))) }
        for i in 8..<16 { b[i] = UInt8(truncatingIfNeeded: random.1 >> (8 * UInt64(i - 8))) }
        b[6] = (b[6] & 0x0F) | 0x70  // version 7
        b[8] = (b[8] & 0x3F) | 0x80  // variant 10
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    /// A fresh id for now, by the system clock and the system's random generator.
    static func now() -> UUID {
        var rng = SystemRandomNumberGenerator()
        return make(milliseconds: UInt64(max(0, Date().timeIntervalSince1970 * 1000)), random: (rng.next(), rng.next()))
    }
}
