import Testing

@testable import ZhengxinServer

@Suite("URL parameters")
struct URLParametersTests {
    @Test("form encoding: + is a space, %XX a UTF-8 byte, a malformed escape kept as written, the first of a repeated name counts")
    func formEncoding() {
        let p = URLParameters(query: "q=%E6%94%BF%E5%8A%A1+%E5%A4%96%E7%BD%91&stage=&x=%ZZ&q=second&flag&sort=-investment&a%20b=1")
        #expect(p["q"] == "政务 外网")
        #expect(p["stage"] == "")
        #expect(p["x"] == "%ZZ")
        #expect(p["flag"] == "")
        #expect(p["sort"] == "-investment")
        #expect(p["a b"] == "1")
        #expect(p["missing"] == nil)
        #expect(URLParameters(query: nil)["q"] == nil)
        #expect(URLParameters(query: "")["q"] == nil)
    }
}
