/// A passage a candidate shares with the query, for highlighting: the candidate's own text as
/// typed (with its punctuation) and where it lies in that field, in Unicode scalar offsets.
public struct MatchedPassage: Sendable, Equatable {
    public var field: SimilarityField
    public var text: String
    public var queryText: String
    public var scalarOffsets: Range<Int>
    /// Matched characters after normalisation (punctuation not counted).
    public var length: Int
}

enum MatchedPassages {
    static let minimumLength = 4
    static let perField = 5
    /// A trigram occurring more often than this in either text seeds no passage: a run of one
    /// repeated character (测测测…) would otherwise pair every position with every other.
    static let maximumOccurrences = 16
    /// Seed pairs and extension steps one field may take; past it the matcher keeps what it found.
    /// Ordinary declarations take a few thousand; the budget bounds what a hostile text can cost.
    static let workBudget = 200_000

    /// The longest common substrings of at least four normalised characters, longest first, not
    /// overlapping one another in either text. Seeds are shared trigrams, so the cost follows the
    /// number of shared trigrams, not the product of the two lengths.
    static func find(_ field: SimilarityField, query q: SimilarityText.Normalised, candidate c: SimilarityText.Normalised)
        -> [MatchedPassage]
    {
        var work = 0
        return find(field, query: q, candidate: c, work: &work)
    }

    /// As `find`, counting into `work` the seed pairs tried and the characters extended.
    static func find(
        _ field: SimilarityField, query q: SimilarityText.Normalised, candidate c: SimilarityText.Normalised, work: inout Int
    ) -> [MatchedPassage] {
        let a = q.scalars, b = c.scalars
        guard a.count >= minimumLength, b.count >= minimumLength else { return [] }
        let boundary = SimilarityText.boundary
        var starts: [UInt64: [Int]] = [:]
        for i in 0...(a.count - 3) where a[i] != boundary && a[i + 1] != boundary && a[i + 2] != boundary {
            starts[key(a, i), default: []].append(i)
        }
        var inCandidate: [UInt64: Int] = [:]
        for j in 0...(b.count - 3) where b[j] != boundary && b[j + 1] != boundary && b[j + 2] != boundary {
            inCandidate[key(b, j), default: 0] += 1
        }
        func seeds(_ k: UInt64) -> [Int]? {
            guard let positions = starts[k], positions.count <= maximumOccurrences,
                inCandidate[k, default: 0] <= maximumOccurrences
            else { return nil }
            return positions
        }
        var runs: [(i: Int, j: Int, length: Int)] = []
        seeding: for j in 0...(b.count - 3) where b[j] != boundary && b[j + 1] != boundary && b[j + 2] != boundary {
            guard let positions = seeds(key(b, j)) else { continue }
            for i in positions {
                work += 1
                if work > workBudget { break seeding }
                // Only runs that cannot extend to the left: each match is counted once, from its
                // leftmost seed (or from the first one after a too-frequent trigram, which seeds nothing).
                if i > 0, j > 0, a[i - 1] == b[j - 1], a[i - 1] != boundary, seeds(key(b, j - 1)) != nil { continue }
                var n = 3
                while i + n < a.count, j + n < b.count, a[i + n] == b[j + n], a[i + n] != boundary { n += 1 }
                work += n - 3
                if n >= minimumLength { runs.append((i, j, n)) }
            }
        }
        runs.sort { $0.length != $1.length ? $0.length > $1.length : ($0.j, $0.i) < ($1.j, $1.i) }
        var takenA: [Range<Int>] = [], takenB: [Range<Int>] = []
        var out: [MatchedPassage] = []
        for r in runs where out.count < perField {
            let ra = r.i..<(r.i + r.length), rb = r.j..<(r.j + r.length)
            if takenA.contains(where: { $0.overlaps(ra) }) || takenB.contains(where: { $0.overlaps(rb) }) { continue }
            takenA.append(ra); takenB.append(rb)
            let shown = c.originalText(rb)
            out.append(
                MatchedPassage(
                    field: field, text: shown.text, queryText: q.originalText(ra).text,
                    scalarOffsets: shown.scalarOffsets, length: r.length))
        }
        return out
    }

    @inline(__always) private static func key(_ s: [UInt32], _ i: Int) -> UInt64 {
        UInt64(s[i]) << 42 | UInt64(s[i + 1]) << 21 | UInt64(s[i + 2])
    }
}
