import Vapor
import ZhengxinCore

/// GET/POST /activate (a new account's holder sets a password with the activation code and, where
/// the account needs one, receives the TOTP secret; or re-enrols TOTP after a reset) and GET/POST
/// /account/password (the signed-in holder changes the password). Both run the same steps as the
/// API (ActivationController, PasswordChange).
/// /activate has no session yet, so its CSRF value is keyed by a random cookie of its own set with
/// the form (SameSite=Strict, HttpOnly; double submit, HMAC-SM3 as WebCSRF), besides the origin
/// check every page form has (SameOriginForms). /account/password is behind WebCSRFMiddleware like every signed-in page.
struct AccountPages {
    static let activationCookie = "zx_activate"

    struct ActivatePage: Encodable {
        var csrf: String
        var code: String
        var error: String?
        var username: String?
        var totpSecret: String?
        var totpURI: String?
        var message: String?
    }

    struct PasswordPage: Encodable {
        var error: String?
    }

    /// 邮件提醒 is `business`: the three administrators get no business mail (三权分立).
    func register(public web: RoutesBuilder, signedIn: RoutesBuilder, business: RoutesBuilder) {
        web.get("activate", use: activateForm)
        web.post("activate", use: activate)  // SameOriginForms (every page form) checks the origin
        signedIn.get("account", "password", use: passwordForm)
        signedIn.post("account", "password", use: changePassword)
        business.get("account", "mail", use: mailForm)
        business.post("account", "mail", use: setMail)
    }

    func activateForm(_ req: Request) async throws -> Response {
        let key = [UInt8].random(count: 32).base64
        let response = try await WebPages.render(
            "activate", title: "激活账号",
            page: ActivatePage(csrf: WebCSRF.token(for: key), code: Self.echoed(req.query[String.self, at: "code"] ?? "")), req)
        response.cookies[Self.activationCookie] = HTTPCookies.Value(
            string: key, path: "/activate", isSecure: WebSession.isHTTPS(req),
            isHTTPOnly: true, sameSite: .strict)
        return response
    }

    func activate(_ req: Request) async throws -> Response {
        let field = { (name: String) in (try? req.content.get(String.self, at: name)) ?? "" }
        guard let key = req.cookies[Self.activationCookie]?.string, !key.isEmpty,
            WebCSRF.matches(field(WebCSRF.fieldName), sessionToken: key)
        else {
            throw WebCSRF.refused
        }
        let code = field("code").trimmingCharacters(in: .whitespaces)
        let body = ActivationController.Body(
            code: code, newPassword: field("newPassword").isEmpty ? nil : field("newPassword"),
            currentPassword: field("currentPassword").isEmpty ? nil : field("currentPassword"))
        do {
            let done = try await ActivationController.run(body, req)
            let response = try await WebPages.render(
                "activate", title: "激活账号",
                page: ActivatePage(
                    csrf: "", code: "", username: done.username, totpSecret: done.totp?.secret,
                    totpURI: done.totp?.uri, message: done.message), req)
            response.cookies[Self.activationCookie] = HTTPCookies.Value(
                string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/activate",
                isSecure: WebSession.isHTTPS(req), isHTTPOnly: true, sameSite: .strict)
            return response
        } catch let refusal as APIError {
            return try await refusedActivation(refusal, code: code, key: key, req)
        } catch let invalid as PayloadDecoding.Invalid {
            return try await refusedActivation(APIError.invalid(invalid.violations), code: code, key: key, req)
        } catch let refusal as LoginFlow.Refusal {
            let response = try await refusedActivation(refusal.error, code: code, key: key, req)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(refusal.retryAfterSeconds))
            return response
        }
    }

    /// The form again with the refusal. The code stays when it is within the limit; the passwords
    /// never come back.
    private func refusedActivation(_ refusal: APIError, code: String, key: String, _ req: Request) async throws -> Response {
        try await WebPages.render(
            "activate", title: "激活账号",
            page: ActivatePage(csrf: WebCSRF.token(for: key), code: Self.echoed(code), error: Self.explain(refusal)),
            status: refusal.status, req)
    }

    /// A typed or linked code shown back in the form only within the limit: an oversized one is never echoed.
    static func echoed(_ code: String) -> String {
        code.count <= ActivationController.maxCodeCharacters && code.utf8.count <= ActivationController.maxCodeCharacters * 4 ? code : ""
    }

    func passwordForm(_ req: Request) async throws -> Response {
        try await WebPages.render("account-password", title: "修改密码", page: PasswordPage(), req)
    }

    func changePassword(_ req: Request) async throws -> Response {
        let field = { (name: String) in (try? req.content.get(String.self, at: name)) ?? "" }
        do {
            let done = try await PasswordChange.run(
                .init(currentPassword: field("currentPassword"), newPassword: field("newPassword")),
                currentSession: WebSession.token(req), req)
            return try await WebPages.render(
                "account-password", title: "修改密码", page: PasswordPage(), flash: done.message, flashKind: "success", req)
        } catch let refusal as APIError where refusal.status == .badRequest {
            return try await WebPages.render(
                "account-password", title: "修改密码", page: PasswordPage(error: Self.explain(refusal)), status: refusal.status, req)
        }
    }

    struct MailPage: Encodable {
        var address: String
        var options: [MailOption]
        var error: String?
    }

    struct MailOption: Encodable {
        var value: String
        var title: String
        var checked: Bool
    }

    static func mailPage(address: String?, delivery: MailDelivery, error: String? = nil) -> MailPage {
        MailPage(
            address: address ?? "",
            options: MailDelivery.allCases.map { MailOption(value: $0.rawValue, title: $0.chinese, checked: $0 == delivery) },
            error: error)
    }

    /// 邮件提醒 settings (MailPreference, as `PUT /api/v1/me/mail`).
    func mailForm(_ req: Request) async throws -> Response {
        let current = try await MailPreference.current(req)
        return try await WebPages.render(
            "account-mail", title: "邮件提醒", page: Self.mailPage(address: current.address, delivery: current.delivery), req)
    }

    func setMail(_ req: Request) async throws -> Response {
        let field = { (name: String) in (try? req.content.get(String.self, at: name)) ?? "" }
        let address = String(field("address").prefix(300))
        guard let delivery = MailDelivery(rawValue: field("delivery")) else {
            return try await WebPages.render(
                "account-mail", title: "邮件提醒",
                page: Self.mailPage(address: address, delivery: .immediate, error: "请选择接收方式(立即发送、每日汇总或不发送)"),
                status: .badRequest, req)
        }
        do {
            let saved = try await MailPreference.set(.init(address: address, delivery: delivery), req)
            return try await WebPages.render(
                "account-mail", title: "邮件提醒", page: Self.mailPage(address: saved.address, delivery: saved.delivery),
                flash: saved.message, flashKind: "success", req)
        } catch let refusal as APIError where refusal.status == .badRequest {
            return try await WebPages.render(
                "account-mail", title: "邮件提醒", page: Self.mailPage(address: address, delivery: delivery, error: Self.explain(refusal)),
                status: refusal.status, req)
        }
    }

    /// The message with the field-level reasons, which say what a password lacks.
    static func explain(_ error: APIError) -> String {
        error.code == "INVALID_INPUT" && !error.violations.isEmpty ? error.violations.map(\.message).joined(separator: ";") : error.message
    }
}
