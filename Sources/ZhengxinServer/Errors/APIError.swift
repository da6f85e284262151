import Vapor
import ZhengxinCore

/// The one error shape on the wire, for every error of the API:
/// `{"error": {"code": "...", "message": "...", "violations": [{"rule","article","message","field"}]}}`.
struct APIError: Error, Sendable {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var violations: [Violation] = []

    static func notFound(_ what: String) -> APIError { APIError(status: .notFound, code: "NOT_FOUND", message: "\(what)不存在或无权查看") }
    static func forbidden(_ message: String) -> APIError { APIError(status: .forbidden, code: "FORBIDDEN", message: message) }
    static let unauthenticated = APIError(status: .unauthorized, code: "UNAUTHENTICATED", message: "请先登录,或登录已过期")

    static func invalid(_ violations: [Violation]) -> APIError {
        APIError(
            status: .badRequest, code: RefusalKind.invalidInput.rawValue,
            message: "请求内容有误: " + violations.map(\.message).joined(separator: ";"), violations: violations)
    }

    /// A refusal by the rules: 400 for malformed input, 409 for an action out of order, 422 for
    /// a rule of the Measures not met.
    static func refused(_ violations: [Violation]) -> APIError {
        switch RefusalKind(violations) {
        case .invalidInput:
            return invalid(violations)
        case .wrongStage:
            return APIError(status: .conflict, code: RefusalKind.wrongStage.rawValue, message: "当前阶段不能办理此操作", violations: violations)
        case .ruleViolation:
            let articles = Array(Set(violations.compactMap(\.article))).sorted().joined(separator: "、")
            return APIError(
                status: .unprocessableEntity, code: RefusalKind.ruleViolation.rawValue,
                message: "不符合《郑州市政务信息化项目建设管理暂行办法》\(articles)的规定", violations: violations)
        }
    }

    static func from(_ refusal: ProjectCreation.CreationRefusal) -> APIError {
        switch refusal {
        case .forbidden(let reason): return .forbidden(reason)
        case .refused(let violations): return .refused(violations)
        }
    }
}

struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
        var violations: [Violation]
    }
    var error: Detail
}

/// Turns every error into the one JSON shape; nothing internal leaks to the caller.
struct APIErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let api = Self.translate(error, request)
            let response = Response(status: api.status)
            // Sorted keys: one refusal always reads byte for byte the same, so a 404 for a project one
            // may not see cannot be told from a 404 for an id that never existed by its key order.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try response.content.encode(
                ErrorBody(error: .init(code: api.code, message: api.message, violations: api.violations)), using: encoder)
            response.headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
            return response
        }
    }

    static func translate(_ error: Error, _ request: Request) -> APIError {
        switch error {
        case let api as APIError:
            return api
        case let invalid as PayloadDecoding.Invalid:
            return .invalid(invalid.violations)
        case let sealed as AtRestError:
            // Wrong master key or an altered sealed value: said plainly, never answered with garbage.
            request.logger.critical("\(sealed.kind.rawValue): \(sealed.description)")
            return APIError(status: .internalServerError, code: sealed.kind.rawValue, message: sealed.description)
        case let error where TallySumLimit.refused(error):
            return TallySumLimit.refusal
        case let abort as AbortError:
            switch abort.status {
            case .notFound: return APIError(status: .notFound, code: "NOT_FOUND", message: "请求的资源不存在")
            case .payloadTooLarge: return APIError(status: .payloadTooLarge, code: "PAYLOAD_TOO_LARGE", message: "请求内容过大")
            case .unauthorized: return .unauthenticated
            case .unsupportedMediaType:
                return APIError(status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE", message: "不支持的内容类型,请使用 application/json")
            case .badRequest: return APIError(status: .badRequest, code: "INVALID_INPUT", message: "请求内容有误")
            default: return APIError(status: abort.status, code: "HTTP_\(abort.status.code)", message: abort.reason)
            }
        default:
            request.logger.report(error: error)
            return APIError(status: .internalServerError, code: "INTERNAL", message: "服务器内部错误,操作未执行")
        }
    }
}
