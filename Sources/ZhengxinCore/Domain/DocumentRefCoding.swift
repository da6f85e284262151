import Foundation

/// A document's sharing-chapter parts stored in a fixed order: a Swift `Set` iterates in a different
/// order in every instance, which would make equal records store unequal JSON (and audit diffs and
/// hashes of identical histories differ). Same keys and shape as the synthesized encoding.
extension DocumentRef {
    private enum Keys: String, CodingKey {
        case number, kind, filename, contentType, sizeBytes, sha256, uploadedBy, uploadedAt, sharingChapter, evaluates,
            sharingChapterOpinion
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(number, forKey: .number)
        try c.encode(kind, forKey: .kind)
        try c.encode(filename, forKey: .filename)
        try c.encode(contentType, forKey: .contentType)
        try c.encode(sizeBytes, forKey: .sizeBytes)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(uploadedBy, forKey: .uploadedBy)
        try c.encode(uploadedAt, forKey: .uploadedAt)
        try c.encode(SharingChapterPart.allCases.filter { sharingChapter.contains($0) }, forKey: .sharingChapter)
        try c.encodeIfPresent(evaluates, forKey: .evaluates)
        try c.encodeIfPresent(sharingChapterOpinion, forKey: .sharingChapterOpinion)
    }
}
