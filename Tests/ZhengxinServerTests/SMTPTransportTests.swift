import Foundation
import NIOPosix
import Testing

@testable import ZhengxinServer

/// libcurl's SMTP against a real server (aiosmtpd) on loopback: STARTTLS verified against the
/// relay's certificate, and never mail in clear when TLS is required.
@Suite("SMTP transport")
struct SMTPTransportTests {
    static func message(_ subject: String) -> SMTPMessage {
        SMTPMessage(
            from: "zhengxin@zhengzhou.gov.cn", to: "li.na@wjw.zhengzhou.gov.cn", subject: subject,
            body: ".第一行以点开头\n催办: 请于一周内报送\n.", messageId: "<\(UUID().uuidString)@zhengxin>", date: Date())
    }

    static func settings(_ port: Int, _ transport: SMTPTransport, caFile: String? = nil) -> SMTPSettings {
        SMTPSettings(
            host: "127.0.0.1", port: port, from: "zhengxin@zhengzhou.gov.cn", username: "zx", password: "pw",
            transport: transport, caFile: caFile, timeoutSeconds: 10)
    }

    @Test("STARTTLS: the relay's certificate is verified, the mail arrives over TLS, intact")
    func startTLS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zx-tls-\(UUID().uuidString)").path
        let certificate = try SMTPSink.certificate(in: directory + "-cert")
        let sink = try SMTPSink(directory: directory, certificate: certificate)
        defer { sink.stop() }
        try await SMTPClient.send(
            Self.message("【政信】催办"), with: Self.settings(sink.port, .starttls, caFile: certificate.cert), on: .singleton)
        let file = try #require(sink.files.first)
        let envelope = try String(contentsOfFile: file.replacingOccurrences(of: ".eml", with: ".env"), encoding: .utf8)
        #expect(envelope.contains("TLS yes") && envelope.contains("AUTH PLAIN login=zx password=pw"))
        let mail = try SMTPSink.decoded(file)
        #expect(mail.subject == "【政信】催办")
        #expect(mail.body.hasPrefix(".第一行以点开头\r\n") || mail.body.hasPrefix(".第一行以点开头\n"))
    }

    @Test("TLS required: an unknown certificate or a relay without STARTTLS gets no mail")
    func refusesClearOrUnverified() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zx-tls-\(UUID().uuidString)").path
        let certificate = try SMTPSink.certificate(in: directory + "-cert")
        let tlsSink = try SMTPSink(directory: directory, certificate: certificate)
        defer { tlsSink.stop() }
        // No CA file: the self-signed certificate is not in the system's bundle.
        await #expect(throws: SMTPError.self) {
            try await SMTPClient.send(Self.message("x"), with: Self.settings(tlsSink.port, .starttls), on: .singleton)
        }
        #expect(tlsSink.files.isEmpty)

        let plain = try SMTPSink()
        defer { plain.stop() }
        await #expect(throws: SMTPError.self) {
            try await SMTPClient.send(Self.message("x"), with: Self.settings(plain.port, .starttls), on: .singleton)
        }
        #expect(plain.files.isEmpty, "nothing in clear")
    }

    @Test("configuration: TLS mode names its default port; an unknown mode stops the start")
    func configuration() throws {
        let base = ["ZHENGXIN_SMTP_HOST": "smtp.zz.gov.cn"]
        #expect(try SMTPSettings.fromEnvironment([:]) == nil)
        #expect(try SMTPSettings.fromEnvironment(base)?.port == 25)
        #expect(try SMTPSettings.fromEnvironment(base.merging(["ZHENGXIN_SMTP_TLS": "starttls"]) { $1 })?.port == 587)
        let implicit = try SMTPSettings.fromEnvironment(
            base.merging(["ZHENGXIN_SMTP_TLS": "implicit", "ZHENGXIN_SMTP_CA_FILE": "/etc/zx/ca.pem"]) { $1 })
        #expect(implicit?.port == 465 && implicit?.transport == .implicit && implicit?.caFile == "/etc/zx/ca.pem")
        #expect(throws: SMTPConfigurationError.self) {
            try SMTPSettings.fromEnvironment(base.merging(["ZHENGXIN_SMTP_TLS": "ssl"]) { $1 })
        }
    }
}
