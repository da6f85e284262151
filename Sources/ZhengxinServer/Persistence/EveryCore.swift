import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// Each element transformed on every core, the results in the elements' order: one lane per core,
    /// each over a contiguous share, and fewer lanes for a short array (a lane of fewer than 64
    /// elements costs more to start than to run). `lane` makes what one lane reuses from element to
    /// element (a hasher's context). For a page of rows whose records are decoded or digested.
    func mapOnEveryCore<Lane, T>(lane makeLane: @Sendable () -> Lane, _ transform: @Sendable (Lane, Element) -> T) -> [T] {
        guard !isEmpty else { return [] }
        var out = [T?](repeating: nil, count: count)
        let lanes = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, count / 64 + 1))
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                let state = makeLane()
                for i in (count * lane / lanes)..<(count * (lane + 1) / lanes) { results[i] = transform(state, self[i]) }
            }
        }
        return out.map { $0! }
    }

    /// `mapOnEveryCore(lane:_:)` with nothing kept from element to element.
    func mapOnEveryCore<T>(_ transform: @Sendable (Element) -> T) -> [T] {
        mapOnEveryCore(lane: {}) { _, element in transform(element) }
    }
}

/// Work for every core started from an async context: on Dispatch's threads, so the event loop the
/// caller runs on (Swift concurrency runs on NIO's loops here) stays free to read the next page
/// from the database meanwhile.
enum EveryCore {
    static func offLoop<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
