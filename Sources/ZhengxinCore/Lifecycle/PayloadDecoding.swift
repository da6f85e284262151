import Foundation

/// Turns a request body into a typed payload, or into input violations that name the field.
public enum PayloadDecoding {
    /// A body that is not the payload it should be, with the field at fault.
    public struct Invalid: Error, Sendable { public var violations: [Violation] }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) -> Result<T, Invalid> {
        let body = data.isEmpty ? Data("{}".utf8) : data
        if let screened = PayloadScreening.violation(in: body) { return .failure(Invalid(violations: [screened])) }
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[CivilDate.requestInput] = true
            return .success(try decoder.decode(T.self, from: body))
        } catch let error as DecodingError {
            // Foundation on Linux reports a number that does not fit an integer field (1.5, 1e30) as
            // invalid JSON with no coding path; name the field instead. No payload has a fractional field.
            // An integer beyond Int64 (−2^63−1) fails Foundation's parse itself, so the field is found
            // from the bytes (JSONShape), not from a parsed object.
            if case .dataCorrupted(let ctx) = error, ctx.codingPath.isEmpty, let field = JSONShape(body).nonIntegerNumber {
                return .failure(
                    Invalid(violations: [.input(field, "字段「\(field)」应为-9223372036854775808至9223372036854775807之间的整数(金额以分为单位)")]))
            }
            return .failure(Invalid(violations: [violation(for: error)]))
        } catch {
            if let field = JSONShape(body).nonIntegerNumber {
                return .failure(
                    Invalid(violations: [.input(field, "字段「\(field)」应为-9223372036854775808至9223372036854775807之间的整数(金额以分为单位)")]))
            }
            return .failure(Invalid(violations: [.input("", "请求内容不是有效的 JSON")]))
        }
    }

    static func path(_ codingPath: [CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    static func violation(for error: DecodingError) -> Violation {
        switch error {
        case .keyNotFound(let key, let ctx):
            let field = path(ctx.codingPath + [key])
            return .input(field, "缺少必填字段「\(field)」")
        case .typeMismatch(let type, let ctx):
            let field = path(ctx.codingPath)
            return .input(field, "字段「\(field)」类型错误,应为 \(typeName(type))")
        case .valueNotFound(let type, let ctx):
            let field = path(ctx.codingPath)
            return .input(field, "字段「\(field)」不能为空,应为 \(typeName(type))")
        case .dataCorrupted(let ctx):
            let field = path(ctx.codingPath)
            if field.isEmpty { return .input("", "请求内容不是有效的 JSON") }
            return .input(field, "字段「\(field)」的值无效: \(ctx.debugDescription)")
        @unknown default:
            return .input("", "请求内容无法解析")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.contains("Int") { return "整数" }
        if name.contains("String") { return "字符串" }
        if name.contains("Bool") { return "布尔值" }
        if name.contains("Array") { return "数组" }
        if name.contains("Dictionary") { return "对象" }
        return name
    }
}

/// Field checks shared by payloads.
public enum Fields {
    public static func text(_ value: String, _ field: String, max: Int = 2000) -> Violation? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .input(field, "字段「\(field)」不能为空") }
        // Bytes too: one character can carry thousands of combining marks.
        if value.count > max || value.utf8.count > max * 8 { return .input(field, "字段「\(field)」过长(不超过\(max)字)") }
        return nil
    }

    public static func notFuture(_ date: CivilDate, _ field: String, today: CivilDate) -> Violation? {
        date > today ? .input(field, "日期「\(field)」不能晚于今天(\(today.chinese))") : nil
    }
}
