import Fluent
import ZhengxinCore

extension DemoAccounts {
    /// Fake but well-formed personal data for the demo accounts (stored sealed, UserPersonalData):
    /// mobile numbers 1380371xxxx and Zhengzhou (4101) ID numbers with a correct GB 11643 check digit.
    static func personalData(_ index: Int) -> UserPersonalData.Values {
        let first17 = "41010519850312" + String(format: "%03d", 101 + index * 2)
        return UserPersonalData.Values(
            phone: "1380371" + String(format: "%04d", 1000 + index * 37),
            idNumber: first17 + String(PersonalData.checkCharacter(first17)!))
    }

    static func storePersonalData(_ users: [UserModel], on db: Database) async throws {
        for user in users {
            guard let index = allAccounts.firstIndex(where: { $0.username == user.username }) else { continue }
            try await UserPersonalData.store(personalData(index), for: try user.requireID(), on: db)
        }
    }
}
