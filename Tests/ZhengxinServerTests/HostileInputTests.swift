import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Hostile input: every malformed, oversized or strange request gets a 4xx in
/// the one error shape and changes nothing. Uploads first, then JSON bodies.
@Suite("Hostile input")
struct HostileInputTests {
    static func upload(
        _ world: TestWorld, _ projectId: String, filename: String, kind: String = "other",
        bytes: Data, type: String = "application/octet-stream", as user: String = "unitA"
    ) async throws -> JSONReply {
        let name = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try await world.call(
            .POST, "/api/v1/projects/\(projectId)/documents?kind=\(kind)&filename=\(name)", as: user, raw: bytes, contentType: type)
    }

    /// The project as its owner sees it, the unit's project list and the document store: what a
    /// refused request must leave as it was.
    static func state(_ world: TestWorld, _ projectId: String) async throws -> String {
        let project = try await world.call(.GET, "/api/v1/projects/\(projectId)", as: "unitA")
        let list = try await world.call(.GET, "/api/v1/projects", as: "unitA")
        let plans = try await world.call(.GET, "/api/v1/annual-plans", as: "drc")
        let root = world.app.zhengxin.config.dataDirectory + "/documents"
        let blobs = FileManager.default.enumerator(atPath: root)?.allObjects.count ?? 0
        return [canonical(project), canonical(list), canonical(plans), "\(blobs)"].joined(separator: "\n")
    }

    /// A reply's JSON with sorted keys: dictionaries are encoded in no fixed order.
    static func canonical(_ reply: JSONReply) -> String {
        let data = Data(buffer: reply.raw)
        guard let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            let sorted = try? JSONSerialization.data(withJSONObject: setsSorted(json), options: [.sortedKeys, .fragmentsAllowed])
        else { return String(decoding: data, as: UTF8.self) }
        return String(decoding: sorted, as: UTF8.self)
    }

    /// Sets (arrays of strings) come out in no fixed order either.
    static func setsSorted(_ value: Any) -> Any {
        if let strings = value as? [String] { return strings.sorted() }
        if let array = value as? [Any] { return array.map(setsSorted) }
        if let object = value as? [String: Any] { return object.mapValues(setsSorted) }
        return value
    }

    /// Equal states, or where they first part, to read in the failure.
    static func expectSame(_ before: String, _ after: String, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard before != after else { return }
        let a = Array(before), b = Array(after)
        let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        let from = max(0, i - 120)
        Issue.record(
            "\(label) changed at \(i): before …\(String(a[from..<min(a.count, i + 200)]))… after …\(String(b[from..<min(b.count, i + 200)]))…",
            sourceLocation: sourceLocation)
    }

    /// A refusal: 4xx, the error shape, a Chinese message.
    static func expectRefused(
        _ reply: JSONReply, _ label: String, status: HTTPStatus? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect((400..<500).contains(reply.status.code), "\(label): \(reply.status)", sourceLocation: sourceLocation)
        if let status { #expect(reply.status == status, "\(label): \(reply.status)", sourceLocation: sourceLocation) }
        #expect(AuthorisationMatrixTests.hasErrorShape(reply), "\(label): not in the error shape", sourceLocation: sourceLocation)
    }

    @Test("uploads: over the size limit 413, type judged by content 415, bad filenames 400; nothing stored", arguments: Backend.all)
    func uploads(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let before = try await Self.state(world, w.projectId)
            let limit = world.app.zhengxin.config.maxUploadBytes
            var big = Data("%PDF-1.7 ".utf8)
            big.append(Data(repeating: 0x41, count: limit + 1 - big.count))
            Self.expectRefused(
                try await Self.upload(world, w.projectId, filename: "big.pdf", bytes: big, type: "application/pdf"), "over limit",
                status: .payloadTooLarge)

            // The declared Content-Type is ignored; the bytes decide.
            let hostile: [(String, Data)] = [
                ("elf", Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0])), ("pe", Data("MZ\u{90}\0".utf8)),
                ("html", Data("<!DOCTYPE html><p>x".utf8)), ("svg script", Data("<svg><script>alert(1)</script></svg>".utf8)),
                ("shell", Data("#!/bin/sh\nrm -rf /".utf8)), ("binary", Data([0x00, 0x01, 0x02, 0xFF])),
                ("bad utf-8", Data([0x41, 0xC3, 0x28])),
            ]
            for (label, bytes) in hostile {
                Self.expectRefused(
                    try await Self.upload(world, w.projectId, filename: "report.pdf", bytes: bytes, type: "application/pdf"),
                    label, status: .unsupportedMediaType)
            }
            let names = [
                "", "   ", "../../etc/passwd", "a/b.pdf", "a\\b.pdf", "a\u{0}b.pdf", "a\nb.pdf", "a\rb.pdf", "a\u{7}b.pdf",
                "a\u{1B}[31mb.pdf", "a\u{7F}b.pdf", "a\u{85}b.pdf", ".", "..", String(repeating: "长", count: 256),
            ]
            for name in names {
                let reply = try await Self.upload(world, w.projectId, filename: name, bytes: Data("%PDF-1.4".utf8), type: "application/pdf")
                Self.expectRefused(reply, "filename \(name.debugDescription.prefix(40))", status: .badRequest)
                #expect(reply.violations.first?["field"] as? String == "filename", "\(name.debugDescription.prefix(40))")
            }
            Self.expectSame(before, try await Self.state(world, w.projectId), "state")

            // The edges that must still work: 255 characters, and a Chinese text longer than the 4 KiB sniffed.
            let longest = try await Self.upload(
                world, w.projectId, filename: String(repeating: "长", count: 251) + ".txt",
                bytes: Data("%PDF-1.4\n%%EOF\n".utf8), type: "application/pdf")
            #expect(longest.status == .created)
            let chinese = Data(String(repeating: "郑州市政务信息化项目建设管理暂行办法。", count: 200).utf8)
            #expect(try await Self.upload(world, w.projectId, filename: "办法.txt", bytes: chinese, type: "text/plain").status == .created)
        }
    }

    @Test("JSON: bodies over 1 MB on every JSON route 413; deep nesting and huge arrays 400; nothing changes", arguments: Backend.all)
    func jsonBodies(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let before = try await Self.state(world, w.projectId)
            let padded = Data(("{\"name\":\"" + String(repeating: "政", count: 400_000) + "\"}").utf8)  // 1.2 MB of UTF-8
            let routes: [(String, String, String?)] = [
                ("/api/v1/projects", "unitA", nil), ("/api/v1/projects/\(w.projectId)/actions/declare", "unitA", nil),
                ("/api/v1/annual-plans", "drc", nil), ("/api/v1/auth/login", "unitA", nil),
            ]
            for (path, user, _) in routes {
                Self.expectRefused(try await world.call(.POST, path, as: user, raw: padded), "1 MB+ to \(path)", status: .payloadTooLarge)
            }
            let depth = 100_000
            let nested = [
                String(repeating: "[", count: depth) + String(repeating: "]", count: depth),
                "{\"name\":" + String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth) + "}",
            ]
            for body in nested {
                for (path, user, _) in routes {
                    Self.expectRefused(
                        try await world.call(.POST, path, as: user, raw: Data(body.utf8)), "nested to \(path)",
                        status: path.hasSuffix("login") ? nil : .badRequest)
                }
            }
            // Arrays as large as 1 MB allows: unknown projects in a plan, review findings by the ten thousand.
            let lines = (0..<14_000).map { _ in ["projectId": UUID().uuidString, "plannedAmountFen": 1] as [String: Any] }
            Self.expectRefused(
                try await world.call(.POST, "/api/v1/annual-plans", as: "drc", json: ["year": 2027, "title": "巨型计划", "lines": lines]),
                "14000 lines")
            try await world.must(w.projectId, "declare", as: "unitA")
            try await world.must(w.projectId, "start-technical-review", as: "bdb")
            let reviewed = try await Self.state(world, w.projectId)
            let findings = Array(repeating: ["criterion": "necessity", "satisfied": true, "comment": "符合"] as [String: Any], count: 20_000)
            Self.expectRefused(
                try await world.act(
                    w.projectId, "issue-review-opinion", as: "bdb", ["findings": findings, "conclusion": "pass", "comment": "同意"]),
                "20000 findings")
            Self.expectSame(reviewed, try await Self.state(world, w.projectId), "state")
            _ = before
        }
    }

    @Test("text fields: strange but valid Unicode round-trips; control and bidi characters 400", arguments: Backend.all)
    func unicode(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let valid = ["𠀀𪚥 扩展B区汉字", "👨‍👩‍👧‍👦 家庭", "é 组合字符", "ｆｕｌｌｗｉｄｔｈ 全角", "\u{200D}零宽连接", "‘引号’ \"双引号\" <b>&amp;</b>"]
            for name in valid {
                let reply = try await world.call(.POST, "/api/v1/projects", as: "unitA", json: Walk.draft(name: name, yuan: 1))
                #expect(reply.status == .created, "\(name.debugDescription): \(reply.status) \(reply.violations)")
                let id = reply.project["id"] as? String ?? ""
                #expect(try await world.call(.GET, "/api/v1/projects/\(id)", as: "unitA").project["name"] as? String == name)
            }
            let count = try await world.call(.GET, "/api/v1/projects", as: "unitA").array.count
            // Noncharacters are made at run time: Swift refuses them in a literal.
            let nonCharacters = [0xFDD0, 0xFFFE, 0xFFFF, 0x10FFFF].map { "非字符" + String(Unicode.Scalar(UInt32($0))!) }
            let invalid =
                [
                    "空\u{0}字符", "响铃\u{7}", "转义\u{1B}[2J", "反向\u{202E}fdp.exe", "隔离\u{2066}x\u{2069}",
                    "删除\u{7F}", "八位控制\u{9B}31m", "换行\u{85}", "e" + String(repeating: "\u{301}", count: 5000),
                    "标记\u{200F}txt.exe", "标记\u{200E}x", "标记\u{61C}x", "分行\u{2028}x", "分段\u{2029}x",
                ] + nonCharacters
            for name in invalid {
                Self.expectRefused(
                    try await world.call(.POST, "/api/v1/projects", as: "unitA", json: Walk.draft(name: name, yuan: 1)),
                    name.debugDescription, status: .badRequest)
            }
            // DEL and C1 controls are valid JSON written raw (7F, C2 80–9F), as a page form's body writes them.
            for raw in [[0x7F], [0xC2, 0x9B], [0xC2, 0x85]] as [[UInt8]] {
                var body = Data(#"{"name":"控"#.utf8)
                body.append(contentsOf: raw)
                body.append(
                    contentsOf: Data(
                        #"制","source":"unitDeclaration","planYear":2027,"category":"businessSystem","totalInvestmentFen":1,"content":"x","goals":"y"}"#
                            .utf8))
                Self.expectRefused(
                    try await world.call(.POST, "/api/v1/projects", as: "unitA", raw: body), "raw \(raw)", status: .badRequest)
            }
            // A lone surrogate is not Unicode at all.
            let surrogate = Data(
                #"{"name":"坏\ud800","source":"unitDeclaration","planYear":2027,"category":"businessSystem","totalInvestmentFen":1,"content":"x","goals":"y"}"#
                    .utf8)
            Self.expectRefused(
                try await world.call(.POST, "/api/v1/projects", as: "unitA", raw: surrogate), "lone surrogate", status: .badRequest)
            #expect(try await world.call(.GET, "/api/v1/projects", as: "unitA").array.count == count)
        }
    }

    @Test("integers: past Int64, negative, fractional, absurd years and amounts 4xx; nothing changes", arguments: Backend.all)
    func integers(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let before = try await Self.state(world, w.projectId)
            let draft =
                #"{"name":"溢出","source":"unitDeclaration","planYear":YEAR,"category":"businessSystem","totalInvestmentFen":FEN,"content":"x","goals":"y"}"#
            let cases: [(String, String)] = [
                ("2027", "9223372036854775808"), ("2027", "-9223372036854775808"), ("2027", "1e400"), ("2027", "1.5"),
                ("2027", "-1"), ("9223372036854775807", "1"), ("-9223372036854775808", "1"), ("99999", "1"), ("0", "1"),
            ]
            for (year, fen) in cases {
                let body = draft.replacingOccurrences(of: "YEAR", with: year).replacingOccurrences(of: "FEN", with: fen)
                Self.expectRefused(
                    try await world.call(.POST, "/api/v1/projects", as: "unitA", raw: Data(body.utf8)), "year \(year) fen \(fen)")
            }
            let today = w.today
            for amount in [Int64.max, Int64.min, 0] {
                Self.expectRefused(
                    try await world.act(
                        w.projectId, "issue-fund-plan", as: "drc", ["amountFen": amount, "documentNumber": "资金计划X号", "issuedOn": today]),
                    "fund plan \(amount)")
                Self.expectRefused(
                    try await world.act(
                        w.projectId, "disburse", as: "fin", ["amountFen": amount, "paidOn": today, "voucherNumber": "ZF-X"]),
                    "disburse \(amount)")
            }
            for year in [Int.max, Int.min, 0, 100_000] {
                Self.expectRefused(
                    try await world.call(
                        .POST, "/api/v1/annual-plans", as: "drc",
                        json: ["year": year, "title": "计划", "lines": [["projectId": w.projectId, "plannedAmountFen": Int64.max]]]),
                    "plan year \(year)")
            }
            for date in ["9999-12-31", "0000-01-01", "2026-02-30", "-2026-01-01", "2026-1-1"] {
                Self.expectRefused(
                    try await world.act(w.projectId, "record-completion", as: "unitA", ["completedOn": date]), "date \(date)")
            }
            Self.expectSame(before, try await Self.state(world, w.projectId), "state")
        }
    }
}
