import Fluent
import Vapor
import ZhengxinCore

/// `zhengxin enroll-totp --username X`: issues a fresh TOTP secret (GB/T 22239-2019 8.1.4.1 d))
/// and prints it with the otpauth:// URI for an authenticator app. Replaces any earlier secret.
struct EnrollTOTPCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username") var username: String?
    }

    var help: String { "为账号绑定动态口令(TOTP) (enrol a TOTP second factor)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let username = signature.username, !username.isEmpty else {
            context.console.error("用法: zhengxin enroll-totp --username <用户名>")
            throw ExitCode(2)
        }
        let app = context.application
        guard let user = try await UserModel.query(on: app.db).filter(\.$username == username).first(), let userId = user.id else {
            context.console.error("用户不存在: \(username)")
            throw ExitCode(1)
        }
        let secret = TOTPEnrolment.newSecret()
        try await app.writeTransaction { db in
            let security = try await AccountSecurityModel.load(userId, on: db)
            try TOTPEnrolment.enrol(security, secretBase32: secret, demo: false)
            try await security.save(on: db)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: nil, action: "reset-totp", result: .accepted, summary: "为账号 \(username) 绑定动态口令",
                    clientAddress: "cli"), at: app.zhengxin.now(), on: db)
        }
        context.console.print("已为 \(username) 绑定动态口令。请在身份验证器中扫描或输入:")
        context.console.print("  密钥 (secret): \(secret)")
        context.console.print("  \(TOTPCode.uri(secretBase32: secret, account: username))")
    }
}

/// `zhengxin totp-code --username drc`: the current code of a demo account, so a first-time user
/// can log in without an authenticator app. Refuses every account whose secret is not a
/// published demo secret: for real accounts only the holder's device knows the code.
struct TOTPCodeCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username") var username: String?
    }

    var help: String { "显示演示账号当前的动态口令(仅限演示账号) (current TOTP code of a demo account)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let username = signature.username,
            let user = try await UserModel.query(on: app.db).filter(\.$username == username).first(), let userId = user.id
        else {
            context.console.error("用法: zhengxin totp-code --username <演示账号>")
            throw ExitCode(2)
        }
        let security = try await AccountSecurityModel.load(userId, on: app.db)
        guard security.totpIsDemo, let secret = try TOTPEnrolment.secret(of: security) else {
            context.console.error("\(username) 不是演示账号(或未绑定动态口令): 只有演示账号的动态口令可以这样查看")
            throw ExitCode(1)
        }
        let now = app.zhengxin.now().secondsSinceEpoch
        context.console.print(TOTPCode.code(secret: secret, step: TOTPCode.step(at: now)))
    }
}
