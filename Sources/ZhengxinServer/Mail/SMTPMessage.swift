import Foundation

/// A refused header value: it carries a line break (header injection) or is empty.
struct UnsafeHeaderValue: Error, Equatable {
    var header: String
}

/// A plain-text mail as RFC 5322 / MIME text: UTF-8 subject as RFC 2047 encoded words, body as
/// base64 (so no line of it can start with a dot or run long), CRLF line ends.
struct SMTPMessage: Sendable, Equatable {
    var from: String
    var to: String
    var subject: String
    var body: String
    var messageId: String
    var date: Date

    /// The message text, without the DATA terminator; refuses a From, To or Message-ID that would
    /// break out of its header line. The subject is encoded, so a line break in it is only text.
    func rendered() throws -> String {
        for (name, value) in [("From", from), ("To", to), ("Message-ID", messageId)] {
            guard !value.isEmpty, !Self.breaksLine(value) else { throw UnsafeHeaderValue(header: name) }
        }
        let flatSubject = subject.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        let lines = [
            "From: \(from)", "To: \(to)", "Subject: \(Self.encodedWords(flatSubject))", "Date: \(Self.rfc5322(date))",
            "Message-ID: \(messageId)", "MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64", "",
        ]
        let normalised = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(normalised.utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        return lines.joined(separator: "\r\n") + "\r\n" + encoded + "\r\n"
    }

    /// Whether `value` holds a CR or LF (as scalars: "\r\n" is one Swift Character, equal to neither).
    static func breaksLine(_ value: String) -> Bool {
        value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" }
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, folded onto continuation lines;
    /// each word holds whole characters (a character's bytes are never split between words).
    static func encodedWords(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) || text.contains("=?") else { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {  // 45 bytes → 60 base64 characters + 12 of framing ≤ 75
                words.append(chunk.isEmpty ? "" : "=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.filter { !$0.isEmpty }.joined(separator: "\r\n ")
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
