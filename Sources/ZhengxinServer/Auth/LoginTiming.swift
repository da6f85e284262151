import NIOConcurrencyHelpers
import Vapor

/// A login for an unknown username costs one bcrypt verification, the same as a wrong password:
/// against a dummy hash made once with the configured work factor. Otherwise the quick answer would
/// tell an attacker which accounts exist (GB/T 22239-2019 8.1.4.1 身份鉴别).
enum LoginTiming {
    /// Whether `password` matches `hash`; with no account, verifies against the dummy and says no.
    /// On the blocking-work pool: bcrypt takes tens of milliseconds on purpose, and on an
    /// event loop it would hold up every other connection of that loop meanwhile.
    static func passwordMatches(_ password: String, hash: String?, app: Application) async throws -> Bool {
        let state = app.loginTimingState
        state.verifications.withLockedValue { $0 += 1 }
        let cost = app.zhengxin.config.bcryptCost
        return try await app.blockingWork.runIfActive {
            guard let hash else {
                _ = try Bcrypt.verify(password, created: try state.dummyHash(cost: cost))
                return false
            }
            return try Bcrypt.verify(password, created: hash)
        }
    }
}

/// The dummy hash and a count of verifications (tests read it to see both paths hash).
final class LoginTimingState: Sendable {
    let verifications = NIOLockedValueBox(0)
    private let dummy = NIOLockedValueBox<String?>(nil)

    func dummyHash(cost: Int) throws -> String {
        if let hash = dummy.withLockedValue({ $0 }) { return hash }
        let hash = try Bcrypt.hash("zhengxin-no-such-account-\(UUID().uuidString)", cost: cost)
        dummy.withLockedValue { $0 = hash }
        return hash
    }
}

extension Application {
    private struct LoginTimingKey: StorageKey, LockKey { typealias Value = LoginTimingState }

    var loginTimingState: LoginTimingState {
        locks.lock(for: LoginTimingKey.self).withLock {
            if let state = storage[LoginTimingKey.self] { return state }
            let state = LoginTimingState()
            storage[LoginTimingKey.self] = state
            return state
        }
    }
}
