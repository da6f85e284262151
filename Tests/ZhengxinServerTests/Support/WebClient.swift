import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ZhengxinServer

/// A page as the browser gets it.
struct PageReply: Sendable {
    var status: HTTPStatus
    var headers: HTTPHeaders
    var html: String

    var location: String? { headers.first(name: .location) }
    /// The `zx_session` value a response sets ("" when it clears the cookie), nil when untouched.
    var sessionCookie: String? {
        headers[.setCookie].lazy.compactMap { line -> String? in
            guard line.hasPrefix(WebSession.cookieName + "=") else { return nil }
            return String(line.dropFirst(WebSession.cookieName.count + 1).prefix { $0 != ";" })
        }.first
    }
    /// The hidden `_csrf` value embedded in the page.
    var csrf: String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}

extension TestWorld {
    /// Requests a page; `session` is a session token sent as the `zx_session` cookie; `form` is sent
    /// url-encoded.
    func page(_ path: String, session: String? = nil) async throws -> PageReply {
        try await page(.GET, path, session: session)
    }

    func page(
        _ method: HTTPMethod, _ path: String, session: String? = nil, form: [(String, String)]? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> PageReply {
        var headers = HTTPHeaders(extra)
        if let session { headers.add(name: .cookie, value: "\(WebSession.cookieName)=\(session)") }
        var body: ByteBuffer?
        if let form {
            headers.contentType = .urlEncodedForm
            body = ByteBuffer(string: Self.urlEncoded(form))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        return PageReply(status: response.status, headers: response.headers, html: String(buffer: response.body))
    }

    /// Signs in through the login form (with the TOTP code where the account needs one) and returns
    /// the session token the cookie carries.
    func webLogin(_ username: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        var form = [("username", username), ("password", Self.password(username))]
        if RoleRules.requiresSecondFactor(
            organisation: Self.accounts.first { $0.username == username }!.type,
            roles: Self.accounts.first { $0.username == username }!.roles)
        {
            form.append(("totp", totpCode(username, stepOffset: 1)))  // the world's API login used this step
        }
        let reply = try await page(.POST, "/login", form: form)
        #expect(reply.status == .seeOther && reply.location == "/", "login \(username): \(reply.status)", sourceLocation: sourceLocation)
        return try #require(reply.sessionCookie, sourceLocation: sourceLocation)
    }

    static func urlEncoded(_ form: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.map { key, value in
            key.addingPercentEncoding(withAllowedCharacters: allowed)! + "=" + value.addingPercentEncoding(withAllowedCharacters: allowed)!
        }.joined(separator: "&")
    }
}
