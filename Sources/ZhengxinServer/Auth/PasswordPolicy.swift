import Foundation

/// GB/T 22239-2019 8.1.4.1 a) 身份鉴别: passwords must be complex enough and are checked wherever
/// one is set (CLI, demo data, the administration API), never only at login.
public struct PasswordPolicy: Sendable, Equatable {
    /// Fewest characters.
    public var minLength: Int
    /// Fewest of the four classes (upper case, lower case, digit, symbol).
    public var minClasses: Int

    public init(minLength: Int = 10, minClasses: Int = 3) {
        self.minLength = minLength
        self.minClasses = min(max(minClasses, 1), 4)
    }

    /// How many of the four classes the password uses. Non-ASCII letters count as symbols, so a
    /// Chinese character adds variety without being mistaken for a Latin letter.
    public static func classes(in password: String) -> Int {
        var upper = false, lower = false, digit = false, symbol = false
        for scalar in password.unicodeScalars {
            switch scalar {
            case "A"..."Z": upper = true
            case "a"..."z": lower = true
            case "0"..."9": digit = true
            default: symbol = true
            }
        }
        return [upper, lower, digit, symbol].filter { $0 }.count
    }

    /// nil when acceptable; otherwise a Chinese message saying what is missing.
    public func problem(with password: String) -> String? {
        var missing: [String] = []
        if password.count < minLength { missing.append("长度不少于\(minLength)位") }
        if Self.classes(in: password) < minClasses { missing.append("至少包含大写字母、小写字母、数字、符号中的\(minClasses)类") }
        return missing.isEmpty ? nil : "密码不符合复杂度要求: " + missing.joined(separator: ",")
    }
}
