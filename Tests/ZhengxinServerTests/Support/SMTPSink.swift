import Foundation

/// A real SMTP server on loopback for the mail tests (aiosmtpd, scripts/smtp_sink.py), offering
/// STARTTLS when given a certificate: saves each message it accepts as a file; `decoded` reads one back through Python's own mail parser, independent of
/// the server's encoder.
final class SMTPSink: @unchecked Sendable {
    let directory: String
    let port: Int
    private let process: Process

    struct Mail: Decodable {
        var subject: String
        var to: String
        var messageId: String
        var contentType: String
        var body: String
    }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/smtp_sink.py").path
    }

    init(port: Int = 0, directory: String? = nil, certificate: (cert: String, key: String)? = nil) throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("zx-smtp-\(UUID().uuidString)").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, self.directory, String(port)] + (certificate.map { [$0.cert, $0.key] } ?? [])
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let bound = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        self.port = bound
    }

    /// A self-signed certificate for 127.0.0.1 (openssl), as (cert, key) paths in `directory`.
    static func certificate(in directory: String) throws -> (cert: String, key: String) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let cert = directory + "/cert.pem"
        let key = directory + "/key.pem"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
        ]
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return (cert, key)
    }

    /// SIGKILL: the test process blocks SIGTERM on its threads, and a child inherits the mask.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The saved messages' files, in the order received.
    var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted { Int($0.dropLast(4))! < Int($1.dropLast(4))! }.map { directory + "/" + $0 }
    }

    static func decoded(_ file: String) throws -> Mail {
        let python = """
            import email, json, sys
            from email import policy
            m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
            print(json.dumps({'subject': str(m['subject']), 'to': str(m['to']), 'messageId': str(m['message-id']),
                              'contentType': m.get_content_type() + ';' + str(m.get_content_charset()), 'body': m.get_content()}))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", python, file]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONDecoder().decode(Mail.self, from: data)
    }
}
