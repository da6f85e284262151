/// 查重 text: what two declarations have in common once the way they were typed is set aside.
///
/// Chinese has no spaces, so a text is compared by its character bigrams and trigrams, not by words.
/// Normalising folds full-width forms (as an input method types them) to half-width, lower-cases
/// Latin letters and drops punctuation and spaces; each dropped run becomes a boundary that no
/// n-gram or matched passage crosses. Boilerplate every project shares (「郑州市」「系统」「平台」)
/// is not listed here: BM25's IDF gives it little weight because it is everywhere.
public enum SimilarityText {
    /// Marks where punctuation or spaces stood; never a kept scalar.
    static let boundary: UInt32 = 0

    /// Normalised scalars, with `boundary` between runs, and for each the offset (in Unicode
    /// scalars) of the original scalar it came from, so a match can be shown as the text typed.
    public struct Normalised: Sendable, Equatable {
        public var scalars: [UInt32]
        var origin: [Int]
        var original: [Unicode.Scalar]

        /// The normalised text, for display in tests and messages.
        public var text: String {
            var s = String.UnicodeScalarView()
            for v in scalars where v != SimilarityText.boundary { s.append(Unicode.Scalar(v)!) }
            return String(s)
        }

        /// The original text from normalised position `range.lowerBound` to `range.upperBound - 1`.
        func originalText(_ range: Range<Int>) -> (text: String, scalarOffsets: Range<Int>) {
            let from = origin[range.lowerBound], to = origin[range.upperBound - 1] + 1
            var s = String.UnicodeScalarView()
            s.append(contentsOf: original[from..<to])
            return (String(s), from..<to)
        }
    }

    public static func normalise(_ text: String) -> Normalised {
        var out = Normalised(scalars: [], origin: [], original: Array(text.unicodeScalars))
        out.scalars.reserveCapacity(out.original.count)
        for (offset, scalar) in out.original.enumerated() {
            if let kept = fold(scalar) {
                out.scalars.append(kept)
                out.origin.append(offset)
            } else if let last = out.scalars.last, last != boundary {
                out.scalars.append(boundary)
                out.origin.append(offset)
            }
        }
        if out.scalars.last == boundary {
            out.scalars.removeLast()
            out.origin.removeLast()
        }
        return out
    }

    /// The scalar as compared, or nil for punctuation, spaces and symbols.
    static func fold(_ scalar: Unicode.Scalar) -> UInt32? {
        var v = scalar.value
        if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }  // full-width ASCII forms: Ａ１（ → A1(
        if v < 0x80 {
            if v >= 0x41 && v <= 0x5A { return v + 0x20 }  // Latin lower-case: GIS, gis
            if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) { return v }
            return nil
        }
        if v >= 0x4E00 && v <= 0x9FFF { return v }  // CJK 统一汉字: the common case, no property lookup
        if v >= 0x3000 && v <= 0x303F { return nil }  // CJK punctuation: 、。「」〔〕
        guard let folded = Unicode.Scalar(v) else { return nil }
        let p = folded.properties
        if p.isAlphabetic || p.generalCategory == .decimalNumber { return v }  // 汉字, other letters and digits
        return nil
    }

    /// Character bigrams and trigrams with their counts. A gram packs its scalars 21 bits apart
    /// (a bigram is a trigram whose first scalar is 0, which no kept scalar is).
    static func grams(_ n: Normalised) -> (counts: [UInt64: Int32], length: Int) {
        let s = n.scalars
        // At most two grams a scalar: room for them all at once, rather than the table growing as it fills.
        var counts: [UInt64: Int32] = Dictionary(minimumCapacity: 2 * s.count)
        var length = 0
        var i = 0
        while i < s.count {
            defer { i += 1 }
            guard s[i] != boundary, i + 1 < s.count, s[i + 1] != boundary else { continue }
            let bigram = UInt64(s[i]) << 21 | UInt64(s[i + 1])
            counts[bigram, default: 0] += 1
            length += 1
            if i + 2 < s.count, s[i + 2] != boundary {
                counts[bigram << 21 | UInt64(s[i + 2]), default: 0] += 1
                length += 1
            }
        }
        return (counts, length)
    }
}
