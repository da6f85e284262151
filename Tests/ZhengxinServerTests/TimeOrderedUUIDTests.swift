import Foundation
import Testing

@testable import ZhengxinServer

/// Audit entry ids are UUIDv7 (RFC 9562 §5.7), so the audit record's id index grows at its end.
@Suite("Time-ordered ids")
struct TimeOrderedUUIDTests {
    @Test("version 7 and variant 10; the first 48 bits are the milliseconds, big-endian")
    func layout() {
        let id = TimeOrderedUUID.make(milliseconds: 0x0193_1234_5678, random: (.max, .max)).uuid
        #expect([id.0, id.1, id.2, id.3, id.4, id.5] == [0x01, 0x93, 0x12, 0x34, 0x56, 0x78])
        #expect(id.6 >> 4 == 7)
        #expect(id.8 >> 6 == 0b10)
        let zero = TimeOrderedUUID.make(milliseconds: 0, random: (0, 0)).uuidString
        #expect(zero == "00000000-0000-7000-8000-000000000000")
    }

    @Test("a later millisecond sorts later whatever the random bits, as text and as bytes")
    func order() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let ms = UInt64.random(in: 0..<(1 << 47), using: &rng)
            let a = TimeOrderedUUID.make(milliseconds: ms, random: (rng.next(), rng.next()))
            let b = TimeOrderedUUID.make(milliseconds: ms + 1, random: (rng.next(), rng.next()))
            #expect(a.uuidString < b.uuidString)
        }
    }

    @Test("ids made now carry the clock's milliseconds")
    func now() {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let id = TimeOrderedUUID.now().uuid
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        let ms = [id.0, id.1, id.2, id.3, id.4, id.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(ms >= before && ms <= after)
        #expect(id.6 >> 4 == 7)
    }
}
