import Fluent
import Foundation
import Testing
import Vapor
@testable import ZhengxinServer
import ZhengxinCore

/// Writes waiting for the write lock commit together (GroupCommit): one transaction, the chain head
/// read and the anchor moved once (AuditChainCursor); a body that fails takes nobody else's write down.
@Suite("Group commit")
struct GroupCommitTests {
    private static func event(_ i: Int) -> AuditEvent {
        AuditEvent(actor: nil, action: "group-commit-test", result: .accepted, summary: "第\(i)条", clientAddress: "t\(i)")
    }

    /// Starts `count` group-committed appends while the write gate is held, and lets go of the gate
    /// only once all of them wait; answers each append's result, in submission order.
    private static func appendsQueuedBehindTheGate(_ app: Application, count: Int, failing: Set<Int> = []) async throws
        -> [Result<Int64, any Error>] {
        struct Planned: Error {}
        let release = AsyncStream<Void>.makeStream()
        let holder = Task { try await app.zhengxin.writeGate.run { for await _ in release.stream { break } } }
        let tasks = (0..<count).map { i in
            Task { () -> Result<Int64, any Error> in
                do {
                    let entry = try await app.groupCommitted { db in
                        let entry = try await AuditRecorder.append(event(i), at: SeedBenchTests.now(), on: db)
                        if failing.contains(i) { throw Planned() }  // after writing: its entry must not stay
                        return entry.seq
                    }
                    return .success(entry)
                } catch { return .failure(error) }
            }
        }
        // The first body was taken alone and waits at the gate; the others queue behind it.
        while await app.zhengxin.groupCommit.waiting < count - 1 { try await Task.sleep(for: .milliseconds(2)) }
        release.continuation.yield()
        try await holder.value
        var results: [Result<Int64, any Error>] = []
        for task in tasks { results.append(await task.value) }
        return results
    }

    @Test("32 appends waiting at once commit in two groups; every one stored in its own place, the chain and anchor intact", arguments: Backend.all)
    func queuedWritesShareATransaction(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let app = world.app
            let before = try await AuditRecorder.verify(on: app.db)
            let groupsBefore = await app.zhengxin.groupCommit.groupsTaken
            let results = try await Self.appendsQueuedBehindTheGate(app, count: 32)
            let seqs = try results.map { try $0.get() }
            #expect(await app.zhengxin.groupCommit.groupsTaken - groupsBefore == 2)
            #expect(Set(seqs) == Set((1...32).map { Int64(before.entries) + Int64($0) }))
            let after = try await AuditRecorder.verify(on: app.db)
            #expect(after.problem == nil, "\(after.message)")
            #expect(after.entries == before.entries + 32)
            let head = try #require(try await AuditHeadModel.find(AuditHeadModel.rowId, on: app.db))
            #expect(head.lastSeq == Int64(after.entries))
        }
    }

    @Test("a body that throws in a group: its own write is rolled back and it gets its error; the others are stored", arguments: Backend.all)
    func failingBodyStandsAlone(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let app = world.app
            let before = try await AuditRecorder.verify(on: app.db)
            let results = try await Self.appendsQueuedBehindTheGate(app, count: 12, failing: [5, 9])
            for (i, result) in results.enumerated() {
                switch result {
                case .success: #expect(![5, 9].contains(i))
                case .failure: #expect([5, 9].contains(i))
                }
            }
            let after = try await AuditRecorder.verify(on: app.db)
            #expect(after.problem == nil, "\(after.message)")
            #expect(after.entries == before.entries + 10)
            let stored = try await AuditEntryModel.query(on: app.db).filter(\.$action == "group-commit-test").all().map(\.summary)
            #expect(Set(stored) == Set((0..<12).filter { ![5, 9].contains($0) }.map { "第\($0)条" }))
        }
    }
}
