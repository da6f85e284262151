import Vapor

extension Application {
    /// The application's one value under `key`, made by `make` on first use. For the read-path caches
    /// (ClassifiedRecords): one per Application, i.e. per database, never shared between two.
    func shared<Key: StorageKey & LockKey>(_ key: Key.Type, make: () -> Key.Value) -> Key.Value {
        locks.lock(for: key).withLock {
            if let made = storage[key] { return made }
            let made = make()
            storage[key] = made
            return made
        }
    }
}
