/// Personal data of account holders and project contacts (个人信息): how it is checked and how it is
/// shown to those who may see only part of it. Stored SM4-sealed by the server (GB/T 39786-2021
/// 8.3 数据存储机密性); these rules are pure.
public enum PersonalData {
    public static let idNumberLength = 18
    public static let phoneLengths = 7...20
    /// 公民身份号码 (GB 11643-1999): 17 digits and a check character (0-9 or X) computed with the
    /// ISO 7064 MOD 11-2 weights. Returns the refusals for `field`, empty when the number is valid.
    public static func idNumberViolations(_ text: String, field: String) -> [Violation] {
        let digits = Array(text.uppercased())
        guard digits.count == idNumberLength, digits.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }),
            let last = digits.last, last == "X" || (last.isASCII && last.isNumber)
        else {
            return [.input(field, "身份证号须为18位(前17位为数字,末位为数字或X)")]
        }
        guard checkCharacter(String(digits.prefix(17))) == last else {
            return [.input(field, "身份证号校验码不符(GB 11643-1999)")]
        }
        return []
    }

    /// The check character of the first 17 digits (GB 11643-1999 7.2).
    public static func checkCharacter(_ first17: String) -> Character? {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let values = first17.compactMap { $0.wholeNumberValue }
        guard values.count == 17 else { return nil }
        let sum = zip(values, weights).map { $0 * $1 }.reduce(0, +)
        return Array("10X98765432")[sum % 11]
    }

    /// A phone number: 7 to 20 characters of digits with an optional leading + and inner hyphens or
    /// spaces (mobile 13800138000, landline 0371-67180000).
    public static func phoneViolations(_ text: String, field: String) -> [Violation] {
        let digits = text.filter { $0.isASCII && $0.isNumber }
        let allowed = text.enumerated().allSatisfy { index, c in
            (c.isASCII && c.isNumber) || c == "-" || c == " " || (c == "+" && index == 0)
        }
        guard allowed, (7...15).contains(digits.count), phoneLengths.contains(text.count) else {
            return [.input(field, "电话号码须为7至15位数字,可含区号连字符")]
        }
        return []
    }

    /// 138****5678: the first three and last four characters; shorter numbers keep only the last two.
    public static func maskPhone(_ phone: String) -> String {
        let c = Array(phone)
        guard c.count > 7 else { return String(repeating: "*", count: max(c.count - 2, 0)) + String(c.suffix(2)) }
        return String(c.prefix(3)) + String(repeating: "*", count: c.count - 7) + String(c.suffix(4))
    }

    /// 4101**********1234: the first four (province and city) and last four characters.
    public static func maskIdNumber(_ id: String) -> String {
        let c = Array(id)
        guard c.count > 8 else { return String(repeating: "*", count: c.count) }
        return String(c.prefix(4)) + String(repeating: "*", count: c.count - 8) + String(c.suffix(4))
    }
}
