import Testing
import ZhengxinCore

@testable import ZhengxinServer

/// Every write reads, decodes, encodes and digests a project's whole record, and its page shows it:
/// an action may not grow a record past ProjectRecordStorage.largestRecordBytes.
@Suite("Record size limit")
struct RecordSizeLimitTests {
    @Test("a record may grow to the bound, not past it; an action that does not grow one past it stands")
    func bound() throws {
        let limit = ProjectRecordStorage.largestRecordBytes
        let text = { (bytes: Int) in String(repeating: "a", count: bytes) }
        #expect(ProjectRecordStorage.outgrown(text(limit), from: text(10)) == nil)
        let refused = try #require(ProjectRecordStorage.outgrown(text(limit + 1), from: text(limit)))
        #expect(refused.field == "record" && refused.message.contains("2 MB"))
        // Counted in UTF-8 bytes: 郑 is three.
        #expect(ProjectRecordStorage.outgrown(String(repeating: "郑", count: limit / 3 + 1), from: nil) != nil)
        // Past the bound already (stored before it held), an action that leaves it no larger is not refused.
        #expect(ProjectRecordStorage.outgrown(text(limit + 5), from: text(limit + 5)) == nil)
        #expect(ProjectRecordStorage.outgrown(text(limit + 6), from: text(limit + 5)) != nil)
    }
}
