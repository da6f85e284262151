/// A text cut into runs, the matched ones marked: the template draws a marked run as
/// `<mark>#(text)</mark>` and every run through `#( )`, so a passage is highlighted and still escaped
/// (a name with `<script>` in it stays text on both sides of the panel).
struct PassageSegment: Encodable, Sendable, Equatable {
    var text: String
    var marked: Bool
}

enum PassageSegments {
    /// `text` cut at `ranges` (Unicode scalar offsets, as MatchedPassage gives them), in order.
    static func cut(_ text: String, marking ranges: [Range<Int>]) -> [PassageSegment] {
        let scalars = Array(text.unicodeScalars)
        let sorted = ranges.map { clamp($0.lowerBound, scalars.count)..<clamp(max($0.lowerBound, $0.upperBound), scalars.count) }
            .filter { !$0.isEmpty }
            .sorted { $0.lowerBound < $1.lowerBound }
        var out: [PassageSegment] = []
        var at = 0
        func string(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[r])) }
        for r in sorted where r.lowerBound >= at {
            if r.lowerBound > at { out.append(PassageSegment(text: string(at..<r.lowerBound), marked: false)) }
            out.append(PassageSegment(text: string(r), marked: true))
            at = r.upperBound
        }
        if at < scalars.count { out.append(PassageSegment(text: string(at..<scalars.count), marked: false)) }
        return out
    }

    static func clamp(_ n: Int, _ count: Int) -> Int { min(max(0, n), count) }

    /// Where each passage first occurs in `text`, not overlapping an earlier one: the query's side of
    /// a match, for which MatchedPassage keeps the words but not the offsets.
    static func locate(_ passages: [String], in text: String) -> [Range<Int>] {
        let scalars = Array(text.unicodeScalars)
        var taken: [Range<Int>] = []
        for passage in passages {
            let needle = Array(passage.unicodeScalars)
            guard !needle.isEmpty, needle.count <= scalars.count else { continue }
            var start = 0
            while start + needle.count <= scalars.count {
                let r = start..<(start + needle.count)
                if scalars[r].elementsEqual(needle) && !taken.contains(where: { $0.overlaps(r) }) {
                    taken.append(r)
                    break
                }
                start += 1
            }
        }
        return taken
    }
}
