import Foundation
import Logging
import NIOConcurrencyHelpers

/// One JSON object per line (`ZHENGXIN_LOG_FORMAT=json`), for a log collector:
/// `{"timestamp":"2026-12-03T10:00:00.123Z","level":"info","label":"codes.vapor.application",
/// "message":"...","request_id":"...","metadata":{...},"source":"ZhengxinServer"}`.
/// The request's id (`request-id` in Vapor's request logger, RequestIdMiddleware) is lifted to
/// `request_id` so a collector can index it; the rest of the metadata stays under `metadata`.
struct JSONLogHandler: LogHandler {
    /// Receives each finished line, newline included.
    typealias Output = @Sendable ([UInt8]) -> Void

    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let output: Output

    init(
        label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil, output: @escaping Output = Self.standardOutput
    ) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.output = output
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let requestId = merged.removeValue(forKey: "request-id")
        var line = "{\"timestamp\":" + Self.quoted(Self.timestamp(Date()))
        line += ",\"level\":" + Self.quoted(event.level.rawValue)
        line += ",\"label\":" + Self.quoted(label)
        line += ",\"message\":" + Self.quoted(event.message.description)
        if let requestId { line += ",\"request_id\":" + Self.json(requestId) }
        if let error = event.error { line += ",\"error\":" + Self.quoted(String(describing: error)) }
        if !merged.isEmpty { line += ",\"metadata\":" + Self.json(.dictionary(merged)) }
        line += ",\"source\":" + Self.quoted(event.source) + "}\n"
        output(Array(line.utf8))
    }

    /// A metadata value as JSON: strings and descriptions as strings, arrays and dictionaries as such (keys sorted).
    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .stringConvertible(let convertible): return quoted(convertible.description)
        case .array(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let pairs):
            return "{" + pairs.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal: quote, backslash and every control character escaped (RFC 8259 §7),
    /// so no message can end its line or forge another.
    static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}", "\u{2029}": out += "\\u\(hex4(scalar.value))"  // line breaks to some JSON readers
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u\(hex4(scalar.value))"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// RFC 3339 in UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(millis % 1000))
    }

    private static let writeLock = NIOLock()

    /// Standard output, one whole line per write, so lines of concurrent requests never interleave.
    static let standardOutput: Output = { bytes in
        writeLock.withLock {
            bytes.withUnsafeBufferPointer { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 {
                        if written < 0, errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }
}
