import Foundation
import Testing
import ZhengxinCore

@testable import ZhengxinServer

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// CSV bytes (BOM, CRLF, RFC 4180, 元, formula injection) and SVG bar charts laid out in Swift and
/// drawn by `BarChartView.svg` (well-formed XML, escaped text, proportional bars, whole-number scales).
@Suite("Report CSV and SVG")
struct ReportEncodingTests {
    @Test func csvBytesHaveBOMCRLFAndQuoting() {
        let doc = CSVDocument(
            header: ["单位", "金额(元)"],
            rows: [
                [.text("郑州市\"智慧\",医疗"), .money(Fen(123_456))],
                [.text("第一行\n第二行"), .money(Fen(-5))],
                [.text("普通"), .integer(42)],
            ])
        let bytes = doc.bytes
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "单位,金额(元)\r\n\"郑州市\"\"智慧\"\",医疗\",1234.56\r\n\"第一行\n第二行\",-0.05\r\n普通,42\r\n")
    }

    @Test(arguments: [
        ("=1+2", "'=1+2"), ("+86 371", "'+86 371"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
        ("a=b", "a=b"), ("郑州", "郑州"), ("", ""),
    ])
    func formulaLikeTextGetsAnApostrophe(_ cell: String, _ written: String) {
        let line = String(decoding: CSVDocument(header: [cell], rows: []).bytes.dropFirst(3), as: UTF8.self)
        #expect(line == written + "\r\n")
    }

    /// CR, LF and CRLF (one Character in Swift) inside a field, a comma beside Chinese, a quote alone.
    @Test(arguments: [
        ("甲\r\n乙", "\"甲\r\n乙\""), ("甲\r乙", "\"甲\r乙\""), ("甲\n乙", "\"甲\n乙\""), ("郑州,郑东", "\"郑州,郑东\""),
        ("\"", "\"\"\"\""), ("郑州市", "郑州市"),
    ])
    func fieldsNeedingQuotesAreQuoted(_ cell: String, _ written: String) {
        let line = String(decoding: CSVDocument(header: ["列"], rows: [[.text(cell)]]).bytes.dropFirst(3), as: UTF8.self)
        #expect(line == "列\r\n" + written + "\r\n")
    }

    @Test(arguments: [(Int64(0), "0.00"), (7, "0.07"), (100, "1.00"), (123_456_789, "1234567.89"), (-100, "-1.00")])
    func moneyIsYuanWithTwoDecimals(_ fen: Int64, _ text: String) {
        #expect(CSVDocument.yuan(Fen(fen)) == text)
    }

    @Test func reportCSVHasChineseHeadersAndATotalLine() {
        let cells = [
            PortfolioCell(
                unitId: "u1", stage: "approved", planYear: 2026, tier: 2, projects: 2, classifiedProjects: 1,
                money: MoneyFigures(requested: Fen(300_000), approved: Fen(200_000), planned: Fen(100_000), disbursed: Fen(50_000)))
        ]
        let csv = PortfolioReport.rollUp(cells, unitNames: ["u1": "=恶意单位"]).csv(.unit)
        let lines = String(decoding: csv.bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines[0] == "项目单位,项目数,其中涉密项目数(金额不计入),申报总投资(元),批复概算(元),资金计划(元),已拨付(元),拨付率(占批复概算)")
        #expect(lines[1] == "'=恶意单位,2,1,3000.00,2000.00,1000.00,500.00,25.0%")
        #expect(lines[2] == "合计,2,1,3000.00,2000.00,1000.00,500.00,25.0%")
        #expect(lines[3] == "" && lines.count == 4)
    }

    @Test(arguments: [
        (Int64(0), Int64(1)), (1, 1), (3, 5), (7, 10), (11, 20), (21, 25), (26, 50), (51, 100), (100, 100),
        (101, 200), (2_600_000_000, 5_000_000_000),
    ])
    func scaleEndsOnAWholeStep(_ maximum: Int64, _ scale: Int64) {
        #expect(BarChart.niceMaximum(maximum) == scale)
    }

    @Test func gridlinesFallOnWholeValues() {
        #expect(BarChart.ticks(scale: 1) == [0, 1])
        #expect(BarChart.ticks(scale: 2) == [0, 1, 2])
        #expect(BarChart.ticks(scale: 25) == [0, 5, 10, 15, 20, 25])
        #expect(BarChart.ticks(scale: 200) == [0, 50, 100, 150, 200])
        #expect(BarChart.ticks(scale: Int64.max / 2).count >= 2)
    }

    @Test func barsAreProportionalAndClamped() {
        #expect(BarChart.length(50, scale: 100) == BarChart.plotWidth / 2)
        #expect(BarChart.length(-3, scale: 100) == 0)
        #expect(BarChart.length(500, scale: 100) == BarChart.plotWidth)
    }

    @Test func chartIsWellFormedXMLWithEscapedText() async throws {
        let chart = BarChart(
            id: "c1", title: "资金按单位 <script>&", categories: ["A&B <单位> \"引号\"", String(repeating: "很长的单位名称", count: 6)],
            series: PortfolioReport.moneySeries, values: [[1_000_000, 900_000, 500_000, 100_000], [0, 0, 0, 0]], kind: .money)
        let svg = chart.svg
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;&amp;") && svg.contains("A&amp;B &lt;单位&gt; &quot;引号&quot;"))
        #expect(svg.contains("role=\"img\"") && svg.contains("<title id=\"c1-title\">") && svg.contains("<desc id=\"c1-desc\">"))
        #expect(svg.contains("1.00万元") && svg.contains("0.90万元"))
        #expect(svg.contains("…"), "a long unit name is cut to fit, its full text stays in the title")
        #expect(!svg.contains(">0.00万元<"), "zero bars of a grouped chart carry no label")
        #expect(
            svg.contains(">0万元<") && chart.tickText(2_000_000_000) == "2,000万元" && chart.tickText(10_000) == "0.01万元"
                && chart.valueText(4_999) == "0.00万元" && chart.valueText(5_000) == "0.01万元")
        #expect(svg.contains("fill=\"#1f3a5f\"") && svg.contains("stroke=\"#d5dde6\""), "colours reach the drawing")
        let names = try #require(ViewRendering.parsed(svg), "SVG parses as XML")
        #expect(names.count("rect") == 4 * 2 + 4, "a bar per category and series, plus the legend")
        #expect(names.count("title") == 1 + 2)
        // The first category's first bar is the longest value on a scale ending at 1.00万元 × 1: the whole plot.
        let widths = names.attributes.filter { $0["height"] == "14" }.compactMap { $0["width"].flatMap(Double.init) }
        #expect(widths.prefix(4) == [BarChart.plotWidth, BarChart.plotWidth * 0.9, BarChart.plotWidth * 0.5, BarChart.plotWidth * 0.1])
    }

    @Test func emptyChartStillDraws() async throws {
        let svg =
            BarChart(id: "e", title: "项目数按阶段", categories: [], series: [.init(name: "项目数", colour: "#000")], values: [], kind: .count).svg
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>") && svg.contains("暂无数据"))
        #expect(ViewRendering.parsed(svg) != nil)
    }

    @Test func countValuesReadAsProjects() {
        let chart = BarChart(
            id: "n", title: "t", categories: ["建设中"], series: [.init(name: "项目数", colour: "#000")], values: [[3]], kind: .count)
        #expect(chart.description == "t: 建设中: 项目数 3个。")
    }
}
