import Foundation

/// A real SMTP server on loopback for the mail tests (scripts/smtp_sink.py): saves each message it
/// accepts as a file; `decoded` reads one back through Python's own mail parser, independent of
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

    init(port: Int = 0, directory: String? = nil) throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("zx-smtp-\(UUID().uuidString)").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, self.directory, String(port)]
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
