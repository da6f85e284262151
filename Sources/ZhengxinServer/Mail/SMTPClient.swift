import Foundation
import NIOCore
import NIOPosix

/// Where and as whom mail is sent (ZHENGXIN_SMTP_*). No host: mail is off, and the outbox keeps
/// its rows until a host is configured.
struct SMTPSettings: Sendable, Equatable {
    var host: String
    var port: Int
    var from: String
    var username: String?
    var password: String?
    /// Connect and each reply: a server that goes quiet fails the attempt, which is retried later.
    var timeoutSeconds: Int64 = 30

    static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> SMTPSettings? {
        let value = { (name: String) in env[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = value("ZHENGXIN_SMTP_HOST") else { return nil }
        return SMTPSettings(
            host: host, port: value("ZHENGXIN_SMTP_PORT").flatMap(Int.init) ?? 25,
            from: value("ZHENGXIN_SMTP_FROM") ?? "zhengxin@localhost", username: value("ZHENGXIN_SMTP_USERNAME"),
            password: value("ZHENGXIN_SMTP_PASSWORD"))
    }
}

/// A failed SMTP exchange: the command, and the server's reply (or what went wrong).
struct SMTPError: Error, CustomStringConvertible {
    var step: String
    var reply: String
    var description: String { "SMTP \(step): \(reply)" }
}

/// A plain SMTP client (RFC 5321) over SwiftNIO, one connection per message: EHLO, AUTH PLAIN when
/// a username is set, MAIL FROM, RCPT TO, DATA (dot-stuffed), QUIT; every reply code checked.
/// No TLS: it speaks to a relay on the host or the internal network (the deployment's MTA).
enum SMTPClient {
    static func send(_ message: SMTPMessage, with settings: SMTPSettings, on group: any EventLoopGroup) async throws {
        let text = try message.rendered()
        for (step, value) in [("MAIL FROM", message.from), ("RCPT TO", message.to)] {
            guard !SMTPMessage.breaksLine(value), !value.contains(where: { $0 == "<" || $0 == ">" }) else {
                throw UnsafeHeaderValue(header: step)
            }
        }
        let timeout = TimeAmount.seconds(settings.timeoutSeconds)
        let channel = try await ClientBootstrap(group: group).connectTimeout(timeout)
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: timeout))
                    try channel.pipeline.syncOperations.addHandler(CloseWhenIdle())
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply(_ step: String, expect: Int) async throws {
                var last = ""
                repeat {
                    guard let line = try await lines.next() else { throw SMTPError(step: step, reply: "connection closed") }
                    last = line
                } while last.count > 3 && last[last.index(last.startIndex, offsetBy: 3)] == "-"
                guard Int(last.prefix(3)).map({ $0 / 100 == expect / 100 && ($0 == expect || expect % 100 == 0) }) == true else {
                    throw SMTPError(step: step, reply: String(last.prefix(200)))
                }
            }
            func command(_ line: String, _ step: String, expect: Int) async throws {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                try await reply(step, expect: expect)
            }
            try await reply("greeting", expect: 220)
            // The sender's domain names this client: the host's own name may need a slow resolver lookup.
            try await command("EHLO \(message.from.split(separator: "@").last.map(String.init) ?? "localhost")", "EHLO", expect: 250)
            if let user = settings.username {
                let token = Data(([0] + Array(user.utf8) + [0] + Array((settings.password ?? "").utf8))).base64EncodedString()
                try await command("AUTH PLAIN \(token)", "AUTH", expect: 235)
            }
            try await command("MAIL FROM:<\(message.from)>", "MAIL FROM", expect: 250)
            try await command("RCPT TO:<\(message.to)>", "RCPT TO", expect: 200)
            try await command("DATA", "DATA", expect: 354)
            try await outbound.write(ByteBuffer(string: SMTPMessage.dotStuffed(text)))
            try await reply("message", expect: 250)
            try? await command("QUIT", "QUIT", expect: 221)
        }
    }
}

/// Splits the server's bytes into lines (CRLF or LF), without the line end.
private struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw SMTPError(step: "reply", reply: "line too long") }
            return .needMoreData
        }
        let length = end - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(Self.wrapInboundOut(line))
        return .continue
    }
}

/// Closes the connection when the server has said nothing for the read timeout.
private final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
