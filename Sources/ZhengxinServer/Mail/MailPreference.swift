import Fluent
import Vapor
import ZhengxinCore

/// `GET/PUT /api/v1/me/mail` and the `/account/mail` page: the holder says where 邮件提醒 reach them
/// and how (立即 / 每日汇总 / 不发送). The address is personal data: sealed at rest, shown only to
/// its holder, never written into the audit record, which notes only that it changed.
enum MailPreference {
    struct Body: Content {
        /// Empty or absent: no mail at all (the address is removed).
        var address: String?
        var delivery: MailDelivery
    }

    struct Current: Content {
        var address: String?
        var delivery: MailDelivery
        var deliveryTitle: String
        var message: String?
    }

    static func register(_ protected: RoutesBuilder) {
        protected.get("me", "mail") { req async throws -> Current in try await current(req) }
        protected.put("me", "mail") { req async throws -> Current in
            try await set(try JSONBody.decode(Body.self, req), req)
        }
    }

    static func current(_ req: Request) async throws -> Current {
        let actor = try req.caller()
        guard let row = try await MailAddressModel.find(actor.userId, on: req.db) else {
            return Current(address: nil, delivery: .off, deliveryTitle: MailDelivery.off.chinese)
        }
        let delivery = MailDelivery(rawValue: row.delivery) ?? .immediate
        return Current(address: try AtRest.open(row.addressSealed), delivery: delivery, deliveryTitle: delivery.chinese)
    }

    /// Validates, stores and audits in one transaction; a refusal changes nothing.
    static func set(_ body: Body, _ req: Request) async throws -> Current {
        let actor = try req.caller()
        let typed = body.address?.trimmingCharacters(in: .whitespaces) ?? ""
        if typed.isEmpty, body.delivery != .off {
            throw APIError.invalid([.input("address", "请填写接收提醒的邮件地址,或选择「不发送」")])
        }
        let address: String?
        do {
            address = typed.isEmpty ? nil : try MailAddresses.validated(typed)
        } catch {
            throw APIError.invalid([.input("address", "邮件地址格式不正确(例如 name@zz.gov.cn)")])
        }
        let now = req.now
        let client = req.clientAddress
        try await req.application.writeTransaction { db in
            try await MailAddresses.set(address, delivery: body.delivery, for: actor.userId, at: now.secondsSinceEpoch, on: db)
            let summary = address == nil ? "删除本人的提醒邮箱,不再发送邮件提醒" : "设置本人的提醒邮箱,接收方式: \(body.delivery.chinese)"
            try await AuditRecorder.append(
                AuditEvent(actor: actor, action: "mail-preference", result: .accepted, summary: summary, clientAddress: client),
                at: now, on: db)
        }
        let delivery = address == nil ? MailDelivery.off : body.delivery
        return Current(address: address, delivery: delivery, deliveryTitle: delivery.chinese, message: "邮件提醒设置已保存")
    }
}
