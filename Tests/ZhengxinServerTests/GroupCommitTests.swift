import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Writes waiting for the write lock commit together (GroupCommit): one transaction, the chain head
/// read and the anchor moved once (AuditChainCursor); a body that fails takes nobody else's write down.
@Suite("Group commit")
struct GroupCommitTests {
    private static func event(_ i: Int) -> AuditEvent {
        AuditEvent(actor: nil, action: "group-commit-test", result: .accepted, summary: "第\(i)条", clientAddress: "t\(i)")
    }

    /// Holds the write gate, starts `count` group-committed appends, and lets go of the gate only
    /// once all of them are submitted; answers each append's result, in submission order.
    private static func appendsQueuedBehindTheGate(_ app: Application, count: Int, failing: Set<Int> = []) async throws
        -> [Result<Int64, any Error>]
    {
        struct Planned: Error {}
        let held = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await app.zhengxin.writeGate.run {
                held.continuation.yield()
                for await _ in release.stream { break }
            }
        }
        for await _ in held.stream { break }  // the gate is held before the first append is submitted
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
        // Nothing can commit while the gate is held: the first group (taken by whichever appends had
        // arrived when the drain began) waits at the gate, the rest queue behind it. A bounded wait,
        // so a broken queue fails the test instead of hanging the run.
        let deadline = ContinuousClock.now + .seconds(60)
        while await app.zhengxin.groupCommit.unanswered < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        let submitted = await app.zhengxin.groupCommit.unanswered
        release.continuation.yield()
        try await holder.value
        var results: [Result<Int64, any Error>] = []
        for task in tasks { results.append(await task.value) }
        #expect(submitted == count, "appends submitted behind the held gate")
        return results
    }

    @Test(
        "32 appends waiting at once commit in at most two groups; every one stored in its own place, the chain and anchor intact",
        arguments: Backend.all)
    func queuedWritesShareATransaction(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let app = world.app
            let before = try await AuditRecorder.verify(on: app.db)
            let groupsBefore = await app.zhengxin.groupCommit.groupsTaken
            let results = try await Self.appendsQueuedBehindTheGate(app, count: 32)
            let seqs = try results.map { try $0.get() }
            // The first group is whatever had arrived when the drain began; the rest is one more.
            #expect((1...2).contains(await app.zhengxin.groupCommit.groupsTaken - groupsBefore))
            #expect(Set(seqs) == Set((1...32).map { Int64(before.entries) + Int64($0) }))
            let after = try await AuditRecorder.verify(on: app.db)
            #expect(after.problem == nil, "\(after.message)")
            #expect(after.entries == before.entries + 32)
            let head = try #require(try await AuditHeadModel.find(AuditHeadModel.rowId, on: app.db))
            #expect(head.lastSeq == Int64(after.entries))
            // Entry ids are time-ordered (TimeOrderedUUID): version 7.
            let ids = try await AuditEntryModel.query(on: app.db).filter(\.$action == "group-commit-test").all().map { $0.id!.uuidString }
            #expect(ids.count == 32 && ids.allSatisfy { Array($0)[14] == "7" })
        }
    }

    @Test(
        "a body that throws in a group: its own write is rolled back and it gets its error; the others are stored", arguments: Backend.all)
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
