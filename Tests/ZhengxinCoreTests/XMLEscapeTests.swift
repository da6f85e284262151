import Testing
import ZhengxinCore

/// TimelineSVG.escape, which every text of the SVGs and the project page goes through, against the
/// character-by-character definition it replaced.
@Suite("XML escaping")
struct XMLEscapeTests {
    private static func reference(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: if ch.value < 0x20 && ch != "\t" && ch != "\n" { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    @Test("the five characters, control characters, Chinese and emoji: the same as the definition")
    func sameAsDefinition() {
        let alphabet: [Unicode.Scalar] = ["&", "<", ">", "\"", "'", "\t", "\n", "\r", "\u{01}", "\u{1F}", "a", " ", "郑", "州", "😀", "é", "\u{7F}"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let s = String(String.UnicodeScalarView((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
            #expect(TimelineSVG.escape(s) == Self.reference(s), "\(s.debugDescription)")
        }
        #expect(TimelineSVG.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(TimelineSVG.escape("郑州市政务信息化") == "郑州市政务信息化")
    }
}
