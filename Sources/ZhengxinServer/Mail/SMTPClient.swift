import CCurl
import Foundation
import NIOPosix

/// How the connection to the relay is protected (ZHENGXIN_SMTP_TLS).
enum SMTPTransport: String, Sendable, CaseIterable {
    /// Plain SMTP: a relay on the host or the internal network.
    case none
    /// STARTTLS is required: a relay that does not offer it gets no mail, never mail in clear.
    case starttls
    /// TLS from the first byte (smtps, usually port 465).
    case implicit
}

/// Where and as whom mail is sent (ZHENGXIN_SMTP_*). No host: mail is off, and the outbox keeps
/// its rows until a host is configured.
struct SMTPSettings: Sendable, Equatable {
    var host: String
    var port: Int
    var from: String
    var username: String?
    var password: String?
    var transport: SMTPTransport = .none
    /// A CA bundle (PEM) the relay's certificate is verified against, instead of the system's.
    var caFile: String?
    /// The whole exchange: a server that goes quiet fails the attempt, which is retried later.
    var timeoutSeconds: Int64 = 30

    /// nil when no host is set; a transport that is none of SMTPTransport's is a configuration error.
    static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> SMTPSettings? {
        let value = { (name: String) in env[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = value("ZHENGXIN_SMTP_HOST") else { return nil }
        let transportName = value("ZHENGXIN_SMTP_TLS") ?? "none"
        guard let transport = SMTPTransport(rawValue: transportName) else {
            throw SMTPConfigurationError(name: "ZHENGXIN_SMTP_TLS", value: transportName)
        }
        let defaultPort = transport == .implicit ? 465 : (transport == .starttls ? 587 : 25)
        return SMTPSettings(
            host: host, port: value("ZHENGXIN_SMTP_PORT").flatMap(Int.init) ?? defaultPort,
            from: value("ZHENGXIN_SMTP_FROM") ?? "zhengxin@localhost", username: value("ZHENGXIN_SMTP_USERNAME"),
            password: value("ZHENGXIN_SMTP_PASSWORD"), transport: transport, caFile: value("ZHENGXIN_SMTP_CA_FILE"))
    }
}

struct SMTPConfigurationError: Error, CustomStringConvertible {
    var name: String
    var value: String
    var description: String { "\(name)=\(value): 应为 none、starttls 或 implicit" }
}

/// A failed SMTP exchange: libcurl's reason and the server's last reply code.
struct SMTPError: Error, CustomStringConvertible {
    var step: String
    var reply: String
    /// The server's last reply code, 0 when it said nothing (no connection, a timeout).
    var code = 0
    var description: String { "SMTP \(step): \(reply)" }

    /// The relay refused this message or recipient for good (RFC 5321: 501 bad address, 550–554
    /// mailbox unavailable, name not allowed, transaction failed): trying again cannot help.
    var isPermanent: Bool { code == 501 || (550...554).contains(code) }
}

/// Sends one message per connection through libcurl's SMTP client (EHLO, STARTTLS or implicit TLS,
/// AUTH when a username is set, MAIL FROM, RCPT TO, DATA with libcurl's own dot-stuffing, QUIT).
/// libcurl blocks, so each send runs on a thread pool (the blocking-work pool), never on an event loop.
enum SMTPClient {
    /// curl_global_init once per process, before the first handle (it is not safe to race).
    private static let initialised: CURLcode = zx_curl_global_init()

    static func send(_ message: SMTPMessage, with settings: SMTPSettings, on pool: NIOThreadPool) async throws {
        let text = try message.rendered()
        for (step, value) in [("MAIL FROM", message.from), ("RCPT TO", message.to)] {
            guard !SMTPMessage.breaksLine(value), !value.contains(where: { $0 == "<" || $0 == ">" }) else {
                throw UnsafeHeaderValue(header: step)
            }
        }
        try await pool.runIfActive { try transfer(Array(text.utf8), message: message, settings: settings) }
    }

    /// The message's bytes as libcurl reads them, through an opaque pointer to this box.
    private final class Upload {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    private static func transfer(_ bytes: [UInt8], message: SMTPMessage, settings: SMTPSettings) throws {
        guard initialised == CURLE_OK, let handle = curl_easy_init() else {
            throw SMTPError(step: "init", reply: "libcurl 初始化失败")
        }
        defer { curl_easy_cleanup(handle) }
        let upload = Upload(bytes)
        let recipients = curl_slist_append(nil, "<\(message.to)>")
        defer { curl_slist_free_all(recipients) }
        let scheme = settings.transport == .implicit ? "smtps" : "smtp"
        // The path names this client in EHLO: the sender's domain, as the host's own name may
        // need a slow resolver lookup.
        let domain = message.from.split(separator: "@").last.map(String.init) ?? "localhost"
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        var options: [(CURLoption, String)] = [
            (CURLOPT_URL, "\(scheme)://\(host):\(settings.port)/\(domain)"),
            (CURLOPT_MAIL_FROM, "<\(message.from)>"), (CURLOPT_PROTOCOLS_STR, "smtp,smtps"),
        ]
        if let user = settings.username {
            options.append((CURLOPT_USERNAME, user))
            options.append((CURLOPT_PASSWORD, settings.password ?? ""))
        }
        if let ca = settings.caFile { options.append((CURLOPT_CAINFO, ca)) }
        var status = CURLE_OK
        for (option, value) in options where status == CURLE_OK { status = zx_curl_set_string(handle, option, value) }
        let useTLS = settings.transport == .none ? CURLUSESSL_NONE : CURLUSESSL_ALL
        let longs: [(CURLoption, Int)] = [
            (CURLOPT_UPLOAD, 1), (CURLOPT_NOSIGNAL, 1), (CURLOPT_USE_SSL, Int(useTLS.rawValue)),
            (CURLOPT_TIMEOUT, Int(settings.timeoutSeconds)), (CURLOPT_CONNECTTIMEOUT, Int(settings.timeoutSeconds)),
        ]
        for (option, value) in longs where status == CURLE_OK { status = zx_curl_set_long(handle, option, value) }
        if status == CURLE_OK { status = zx_curl_set_list(handle, CURLOPT_MAIL_RCPT, recipients) }
        if status == CURLE_OK { status = zx_curl_set_read_function(handle, readMessage) }
        let box = Unmanaged.passRetained(upload)
        defer { box.release() }
        if status == CURLE_OK { status = zx_curl_set_pointer(handle, CURLOPT_READDATA, box.toOpaque()) }
        if status == CURLE_OK { status = curl_easy_perform(handle) }
        guard status == CURLE_OK else {
            var code = 0
            _ = zx_curl_response_code(handle, &code)
            let reason = String(cString: curl_easy_strerror(status))
            throw SMTPError(step: code == 0 ? "connection" : "reply \(code)", reply: reason, code: code)
        }
    }

    /// libcurl's read callback: copies the next slice of the message into its buffer; 0 ends it.
    private static let readMessage: zx_curl_read_callback = { buffer, size, count, userdata in
        guard let buffer, let userdata else { return 0 }
        let upload = Unmanaged<Upload>.fromOpaque(userdata).takeUnretainedValue()
        let n = min(size * count, upload.bytes.count - upload.offset)
        guard n > 0 else { return 0 }
        upload.bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: n)
        }
        upload.offset += n
        return n
    }
}
