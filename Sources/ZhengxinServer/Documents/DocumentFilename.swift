import Foundation

/// A document's name as stored and served, its extension fitting the type read from its content.
/// The type is the content's (DocumentSniffer), never the name's, yet a downloaded file is opened by
/// its extension: plain text named 合同.js ran in Windows Script Host when double-clicked, 纪要.html in a
/// browser, 预算.csv in Excel with its formulas, x.url as a shortcut. A name whose last extension is not
/// its type's keeps what the uploader wrote and gets the type's own appended (合同.js.txt); a name
/// without one gets it too.
enum DocumentFilename {
    /// Each accepted type's extensions, the first the one appended.
    static let extensions: [String: [String]] = [
        "application/pdf": ["pdf"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["docx"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["xlsx"],
        "application/vnd.openxmlformats-officedocument.presentationml.presentation": ["pptx"],
        "application/ofd": ["ofd"],
        "image/png": ["png"],
        "image/jpeg": ["jpg", "jpeg"],
        DocumentSniffer.plainText: ["txt"],
    ]

    /// The type a download is named by: the stored one, or for a document stored before content was
    /// typed by libmagic and checked (as `application/zip` or `application/msword`, by its first bytes
    /// alone, macros and all) what its bytes are judged to be now; what is refused now is named `.bin`.
    static func servedType(_ stored: String, bytes: Data) -> String {
        guard extensions[stored] == nil else { return stored }
        return DocumentSniffer.contentType(of: bytes) ?? "application/octet-stream"
    }

    static func fitted(_ name: String, contentType: String) -> String {
        let allowed = extensions[contentType] ?? []
        if let dot = name.lastIndex(of: "."), dot != name.startIndex,
            allowed.contains(name[name.index(after: dot)...].lowercased())
        {
            return name
        }
        // Within the 255 characters a name may have: what the uploader wrote is shortened, never the type's.
        let suffix = "." + (allowed.first ?? "bin")
        return String(name.prefix(max(0, longest - suffix.count))) + suffix
    }

    static let longest = 255
}
