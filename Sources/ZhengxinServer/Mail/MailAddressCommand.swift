import Fluent
import Vapor

extension MailAddresses {
    /// Sets (nil: removes) `username`'s address and records it in the audit chain, in one
    /// transaction. The entry names the account, not the address (personal data).
    static func setRecorded(_ address: String?, username: String, app: Application) async throws {
        let validated = try address.map(validated)
        guard let user = try await UserModel.query(on: app.db).filter(\.$username == username).first(), let userId = user.id else {
            throw Abort(.notFound, reason: "用户不存在: \(username)")
        }
        // 三权分立: an administrator receives no business mail, so it has no address to set.
        guard address == nil || !user.roleSet.contains(where: \.isAdministrator) else {
            throw Abort(.forbidden, reason: "\(username)是管理员账号,不接收业务邮件提醒")
        }
        let now = app.zhengxin.now()
        try await app.writeTransaction { db in
            try await set(validated, for: userId, at: now.secondsSinceEpoch, on: db)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: nil, action: "mail-address", projectId: nil, result: .accepted,
                    summary: validated == nil ? "删除用户\(username)的提醒邮箱" : "设置用户\(username)的提醒邮箱", clientAddress: "cli"),
                at: now, on: db)
        }
    }
}

/// `zhengxin mail-address --username U (--address A | --remove)`: where 邮件提醒 reach an account.
struct MailAddressCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username") var username: String?
        @Option(name: "address", help: "邮件地址 (加密存储)") var address: String?
        @Flag(name: "remove", help: "删除邮件地址,不再发送邮件提醒") var remove: Bool
    }

    var help: String { "设置用户接收期限提醒的邮件地址 (set an account's reminder mail address)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let username = signature.username, signature.remove != (signature.address != nil) else {
            context.console.error("用法: zhengxin mail-address --username <用户名> (--address <邮件地址> | --remove)")
            throw ExitCode(2)
        }
        do {
            try await MailAddresses.setRecorded(signature.remove ? nil : signature.address, username: username, app: context.application)
        } catch is InvalidMailAddress {
            context.console.error("邮件地址格式不正确")
            throw ExitCode(2)
        } catch let error as Abort {
            context.console.error(error.reason)
            throw ExitCode(1)
        }
        context.console.print(signature.remove ? "已删除 \(username) 的提醒邮箱" : "已设置 \(username) 的提醒邮箱")
    }
}
