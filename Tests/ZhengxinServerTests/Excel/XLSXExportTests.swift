import Foundation
import Testing
import Vapor
import VaporTesting
import ZhengxinCore

@testable import ZhengxinServer

/// The .xlsx downloads read back through `XLSXReader` (ZipCheck + XMLParser): cell types and
/// values against the CSV of the same table, the frozen header, dates as dates, and the same scope
/// as the CSV and the list (ReportPagesTests' world).
@Suite("Excel (.xlsx) downloads")
struct XLSXExportTests {
    struct Download {
        var status: HTTPStatus
        var headers: HTTPHeaders
        var bytes: Data
    }

    static func download(_ world: TestWorld, _ path: String, as user: String) async throws -> Download {
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "\(WebSession.cookieName)=\(world.tokens[user]!)")
        let response = try await world.app.testing().sendRequest(.GET, path, headers: headers)
        return Download(status: response.status, headers: response.headers, bytes: Data(buffer: response.body))
    }

    /// The one sheet of a downloaded workbook, after checking the answer's headers and the frozen header row.
    static func sheet(_ world: TestWorld, _ path: String, as user: String) async throws -> XLSXReader.Sheet {
        let reply = try await download(world, path, as: user)
        #expect(reply.status == .ok, "\(path) as \(user): \(reply.status)")
        #expect(reply.headers.first(name: .contentType) == XLSXWorkbook.contentType)
        let disposition = reply.headers.first(name: .contentDisposition) ?? ""
        #expect(
            disposition.hasPrefix("attachment; filename=\"zhengxin-")
                && disposition.contains(".xlsx\"; filename*=UTF-8''%E6%94%BF%E4%BF%A1"))
        let book = try XLSXReader(reply.bytes)
        #expect(book.sheets.count == 1)
        let sheet = try #require(book.sheets.first)
        #expect(sheet.frozenRows == 1, "panes frozen below the header")
        return sheet
    }

    static func texts(_ sheet: XLSXReader.Sheet, row: Int) -> [String] {
        (sheet.rows[row] ?? [:]).sorted { $0.key < $1.key }.map { _, cell in
            switch cell.value {
            case .text(let s): return s
            case .number(let n): return String(n)
            case .bool(let b): return String(b)
            case .error(let e): return e
            }
        }
    }

    @Test("report tables: header as the CSV's, counts and money as numbers equal to the CSV, a unit sees its own", arguments: Backend.all)
    func reportTables(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            _ = try await ReportPagesTests.known(world)
            let csv = try await ReportPagesTests.csvLines(world, "/reports/by-unit.csv", as: "drc")
            let sheet = try await Self.sheet(world, "/reports/by-unit.xlsx", as: "drc")
            #expect(sheet.name == "项目按单位")
            #expect(Self.texts(sheet, row: 1).joined(separator: ",") == csv[0])
            #expect(sheet.lastRow == csv.count, "one row per CSV line (header, two units, 合计)")
            for (index, line) in csv.enumerated().dropFirst() {
                let fields = line.components(separatedBy: ",")
                let row = index + 1
                #expect(sheet.cell(row, 0)?.value == .text(fields[0]))
                #expect(sheet.cell(row, 1)?.value == .number(Double(fields[1])!), "项目数 is a number")
                for column in 3...6 {
                    let cell = try #require(sheet.cell(row, column))
                    #expect(cell.value == .number(Double(fields[column])!), "money equals the CSV's: \(line)")
                    #expect(cell.numberFormat == "#,##0.00")
                }
            }
            // 拨付率 as a share under a percent format: 2,000,000 of 8,000,000.
            #expect(sheet.cell(2, 7)?.value == .number(0.25) && sheet.cell(2, 7)?.numberFormat == "0.0%")
            // A unit: only its own unit's row, whatever unit it asks for.
            let foreign = "/reports/by-unit.xlsx?unit=\(world.orgId(of: "unitB").uuidString)"
            let own = try await Self.sheet(world, foreign, as: "unitA")
            #expect(own.cell(2, 0)?.value == .text("市卫生健康委") && own.lastRow == 3)
            #expect(!own.rows.values.contains { $0.values.contains { $0.value == .text("市教育局") } })
            // Filters as the CSV's.
            let year = try await Self.sheet(world, "/reports/by-year.xlsx?year=2028", as: "aud")
            #expect(year.name == "项目按计划年度" && year.cell(2, 0)?.value == .text("2028年") && year.cell(2, 3)?.value == .number(20_000_000))
        }
    }

    @Test("overdue list: 期限 is a date, a 涉密 project named only to those named on it, another unit's absent", arguments: Backend.all)
    func overdueList(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            _ = try await ReportPagesTests.known(world)
            let drc = try await Self.sheet(world, "/reports/overdue.xlsx", as: "drc")
            #expect(drc.name == "逾期清单" && drc.lastRow == 3)
            #expect(Self.texts(drc, row: 1) == ["项目编号", "项目名称", "项目单位", "逾期事项", "期限", "规则", "依据条款", "说明"])
            #expect(drc.cell(2, 1)?.value == .text("涉密项目(未列明的人员不显示名称)"))
            let due = try #require(drc.cell(2, 4))
            #expect(due.date == CivilDate(year: 2026, month: 1, day: 10) && due.numberFormat == "yyyy-mm-dd")
            #expect(drc.cell(3, 1)?.value == .text("智慧教育平台") && drc.cell(3, 4)?.date == CivilDate(year: 2026, month: 2, day: 1))
            let named = try await Self.sheet(world, "/reports/overdue.xlsx", as: "unitA")
            #expect(named.lastRow == 2 && named.cell(2, 1)?.value == .text("涉密专网"))
            let notNamed = try await Self.sheet(world, "/reports/overdue.xlsx", as: "unitA2")
            #expect(notNamed.lastRow == 2 && notNamed.cell(2, 1)?.value != .text("涉密专网"))
        }
    }

    @Test("project list: its filters and scope, money in 元 as numbers, 涉密 rows only for those named on them", arguments: Backend.all)
    func projectList(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            _ = try await ReportPagesTests.known(world)
            func names(_ sheet: XLSXReader.Sheet) -> Set<String> {
                Set(
                    (2...max(2, sheet.lastRow)).compactMap { row -> String? in
                        guard case .text(let s)? = sheet.cell(row, 1)?.value else { return nil }
                        return s
                    })
            }
            let drc = try await Self.sheet(world, "/projects.xlsx", as: "drc")
            #expect(drc.name == "项目清单" && drc.cell(1, 6)?.value == .text("总投资(元)"))
            #expect(!names(drc).contains("涉密专网") && names(drc).contains("智慧教育平台") && drc.lastRow == 3)
            let unitA = try await Self.sheet(world, "/projects.xlsx", as: "unitA")
            #expect(names(unitA).contains("涉密专网") && !names(unitA).contains("智慧教育平台") && unitA.lastRow == 3)
            let unitB = try await Self.sheet(world, "/projects.xlsx?unitId=\(world.orgId(of: "unitA").uuidString)", as: "unitB")
            #expect(unitB.lastRow == 1, "a unit never sees another unit's projects, even asking for them")
            let ownB = try await Self.sheet(world, "/projects.xlsx", as: "unitB")
            #expect(names(ownB) == ["智慧教育平台"])
            let filtered = try await Self.sheet(world, "/projects.xlsx?planYear=2028", as: "drc")
            #expect(filtered.lastRow == 2 && filtered.cell(2, 1)?.value == .text("智慧教育平台"))
            let money = try #require(filtered.cell(2, 6))
            #expect(money.value == .number(20_000_000) && money.numberFormat == "#,##0.00")
            #expect(filtered.cell(2, 5)?.value == .number(2028), "计划年度 is a number")
            // The list page links its download with the same filters.
            let page = try await ReportPagesTests.get(world, "/projects?planYear=2028", as: "drc")
            #expect(page.html.contains("/projects.xlsx?planYear=2028&amp;page=1"))
            let reports = try await ReportPagesTests.get(world, "/reports?year=2027", as: "unitA")
            #expect(reports.html.contains("/reports/by-stage.xlsx?year=2027") && reports.html.contains("/reports/overdue.xlsx?year=2027"))
        }
    }

    @Test("who may download: vendors and administrators 403, anonymous to /login, bad filters 400", arguments: Backend.all)
    func access(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            for path in ["/reports/by-stage.xlsx", "/reports/overdue.xlsx"] {
                #expect(try await Self.download(world, path, as: "vendor").status == .forbidden)
                #expect(try await Self.download(world, path, as: "adminAud").status == .forbidden)
                let anonymous = try await ReportPagesTests.get(world, path, as: nil)
                #expect(anonymous.status == .seeOther && anonymous.location == "/login")
            }
            #expect(try await Self.download(world, "/projects.xlsx", as: "adminSys").status == .forbidden)
            #expect(try await Self.download(world, "/reports/by-stage.xlsx?year=20x6", as: "drc").status == .badRequest)
            #expect(try await Self.download(world, "/projects.xlsx?tier=9", as: "drc").status == .badRequest)
        }
    }
}
