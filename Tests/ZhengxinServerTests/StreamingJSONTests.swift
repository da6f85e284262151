import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinBench
@testable import ZhengxinServer

/// The streaming JSON coders (StreamingJSONEncoder/Decoder) against Foundation's: the same values
/// both ways on real records of every stage, and the edge cases of the JSON grammar and of Codable.
@Suite("Streaming JSON")
struct StreamingJSONTests {
    private static func foundationSorted<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    private static func sameJSON(_ a: [UInt8], _ b: Data) throws -> Bool {
        let x = try JSONSerialization.jsonObject(with: Data(a), options: [.fragmentsAllowed]) as? NSObject
        let y = try JSONSerialization.jsonObject(with: b, options: [.fragmentsAllowed]) as? NSObject
        return x != nil && x == y
    }

    @Test("records of every stage, a classified one too: each coder reads what the other writes, and the project view is the same JSON")
    func recordsBothWays() async throws {
        try await SharedDatabase.with(.sqlite) { shared in
            try await shared.app(now: SeedBenchTests.now) { app in
                _ = try await BenchPortfolio.seed(app, projects: 120, seed: 11, units: 6, today: SeedBenchTests.today)
                let stored = try await ProjectModel.query(on: app.db).all()
                let book = try await PolicyStore.book(on: app.db)
                var stages = Set<String>()
                var phones = 0
                for model in stored {
                    let record = try model.decoded()
                    stages.insert(record.stage.rawValue)
                    let streamed = try StreamingJSONEncoder().encode(record)
                    let foundation = try Self.foundationSorted(record)
                    #expect(try JSONDecoder().decode(ProjectRecord.self, from: Data(streamed)) == record)
                    #expect(try StreamingJSONDecoder().decode(ProjectRecord.self, from: streamed) == record)
                    #expect(try StreamingJSONDecoder().decode(ProjectRecord.self, from: [UInt8](foundation)) == record)
                    #expect(try Self.sameJSON(streamed, foundation))
                    #expect(try ProjectRecordStorage.decode(ProjectRecordStorage.encode(record)) == record)

                    let view = ProjectView(record, policy: book.governing(record, today: SeedBenchTests.today), today: SeedBenchTests.today)
                    let viewBytes = try StreamingJSONEncoder().encode(view)
                    #expect(try Self.sameJSON(viewBytes, Self.foundationSorted(view)))
                    #expect(try StreamingJSONEncoder().encode(view) == viewBytes, "equal values, equal bytes (dictionary keys sorted)")

                    // One encode gives the answer's JSON and the stored text: the clear JSON is the
                    // record's own, the stored text opens to the record and differs only in the sealed phone.
                    let (clear, rest) = try ProjectRecordStorage.encoded(record)
                    #expect(clear == streamed)
                    #expect(try ProjectRecordStorage.decode(rest) == record)
                    if let phone = record.responsibility?.contactPhone, !phone.isEmpty {
                        phones += 1
                        #expect(!rest.contains(phone))
                        let object = try #require(try JSONSerialization.jsonObject(with: Data(rest.utf8)) as? [String: Any])
                        let sealedPhone = try #require((object["responsibility"] as? [String: Any])?["contactPhone"] as? String)
                        #expect(try AtRest.open(sealedPhone) == phone)
                        var opened = record
                        opened.responsibility?.contactPhone = sealedPhone
                        #expect(Array(rest.utf8) == (try StreamingJSONEncoder().encode(opened)))
                    } else {
                        #expect(Array(rest.utf8) == streamed)
                    }
                    // An action's answer writes those bytes for the record: the same JSON as encoding the view.
                    var answered = view
                    answered.summary = "已登记"
                    let whole = try StreamingJSONEncoder().encode(answered)
                    answered.projectJSON = clear
                    let response = try await answered.encodeResponse(for: Request(application: app, on: app.eventLoopGroup.next()))
                    #expect(response.body.buffer.map { Array($0.readableBytesView) } == whole)
                }
                #expect(phones > 0)
                #expect(stages.count >= 12)
                // A 涉密 project's record rests sealed whole; it opens to the same value.
                var classified = try stored[0].decoded()
                classified.classified = true
                let sealed = try ProjectRecordStorage.encode(classified)
                #expect(AtRest.isSealed(sealed))
                #expect(try ProjectRecordStorage.decode(sealed) == classified)
                let (clear, rest) = try ProjectRecordStorage.encoded(classified)
                #expect(clear == (try StreamingJSONEncoder().encode(classified)))
                let opened = try AtRest.open(rest)
                #expect(AtRest.isSealed(rest) && opened == String(decoding: clear, as: UTF8.self))
            }
        }
    }

    private struct Sample: Codable, Equatable {
        var text: String
        var number: Int
        var big: Int64
        var small: Int8
        var flag: Bool
        var ratio: Double
        var missing: String?
        var present: Int?
        var list: [String]
        var nested: [[Int]]
        var empty: [String: Int]
        var map: [String: [Bool]]
        var optionals: [Int?]
    }

    private static let sample = Sample(
        text: "引号\" 反斜杠\\ 斜杠/ 换行\n 制表\t 回车\r 退格\u{08} 换页\u{0C} 控制\u{01}\u{1F} 表情😀 中文郑州",
        number: -42, big: Int64.min, small: 127, flag: true, ratio: 0.15, missing: nil, present: 0,
        list: ["", "a", "政务信息化"], nested: [[], [1, 2], [Int.max]], empty: [:], map: ["z": [true], "a": [], "中": [false, true]],
        optionals: [1, nil, 3])

    @Test("escapes, Unicode, integer bounds, floats, optionals, nested and empty containers: the same values as Foundation")
    func grammar() throws {
        let streamed = try StreamingJSONEncoder().encode(Self.sample)
        #expect(try JSONDecoder().decode(Sample.self, from: Data(streamed)) == Self.sample)
        #expect(try StreamingJSONDecoder().decode(Sample.self, from: streamed) == Self.sample)
        #expect(try StreamingJSONDecoder().decode(Sample.self, from: [UInt8](JSONEncoder().encode(Self.sample))) == Self.sample)
        let text = String(decoding: streamed, as: UTF8.self)
        #expect(!text.contains("\"missing\""), "nil optionals are left out, as Foundation does")
        #expect(text.contains(#"斜杠/"#) && text.contains(#"\u0001"#) && text.contains("😀"))
        #expect(text.contains(#""map":{"a":[],"z":[true],"中":[false,true]}"#))
        // Which types are dictionaries is remembered per type: the second encode takes the answers
        // from there and still sorts the keys.
        #expect(try StreamingJSONEncoder().encode(Self.sample) == streamed)

        // UUIDs: Foundation's text (upper case) both ways, either case read, anything else refused.
        struct Ids: Codable, Equatable { var a: UUID; var b: [UUID]; var c: UUID? }
        let ids = Ids(a: UUID(), b: [UUID(), UUID()], c: nil)
        let idBytes = try StreamingJSONEncoder().encode(ids)
        #expect(try JSONDecoder().decode(Ids.self, from: Data(idBytes)) == ids)
        #expect(try StreamingJSONDecoder().decode(Ids.self, from: [UInt8](JSONEncoder().encode(ids))) == ids)
        #expect(String(decoding: idBytes, as: UTF8.self).contains("\"\(ids.a.uuidString)\""))
        let lower = #"{"a":"\#(ids.a.uuidString.lowercased())","b":[]}"#
        #expect(try StreamingJSONDecoder().decode(Ids.self, from: lower) == Ids(a: ids.a, b: [], c: nil))
        for bad in [#"{"a":"nope","b":[]}"#, #"{"a":"\#(ids.a.uuidString)0","b":[]}"#] {
            #expect(throws: DecodingError.self) { _ = try StreamingJSONDecoder().decode(Ids.self, from: bad) }
            #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode(Ids.self, from: Data(bad.utf8)) }
        }

        // Escapes Foundation never writes but JSON allows: \/ and \u with a surrogate pair; whitespace anywhere.
        struct Two: Codable, Equatable { var a: String; var b: [Int] }
        let loose = #"  { "b" : [ 1 , -2 ] ,"a":"\/\u90d1\u5dde\ud83d\ude00\u00e9" }  "#
        #expect(try StreamingJSONDecoder().decode(Two.self, from: loose) == Two(a: "/郑州😀é", b: [1, -2]))
        #expect(try StreamingJSONEncoder().encodeString(Two(a: "x", b: [])) == #"{"a":"x","b":[]}"#)
        #expect(try StreamingJSONEncoder().encodeString([1.0, 0.5, -3.25]) == "[1,0.5,-3.25]")
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([Double.nan]) }
    }

    @Test("bad input answers DecodingError as Foundation does: missing key, null, wrong type, overflow, malformed text")
    func errors() throws {
        struct Need: Codable { var a: Int; var b: String }
        func error(_ text: String) -> DecodingError? {
            do { _ = try StreamingJSONDecoder().decode(Need.self, from: text); return nil } catch { return error as? DecodingError }
        }
        guard case .keyNotFound(let key, _) = error(#"{"a":1}"#) else { Issue.record("missing key"); return }
        #expect(key.stringValue == "b")
        guard case .valueNotFound = error(#"{"a":null,"b":"x"}"#) else { Issue.record("null"); return }
        guard case .typeMismatch(_, let context) = error(#"{"a":"1","b":"x"}"#) else { Issue.record("wrong type"); return }
        #expect(context.codingPath.map(\.stringValue) == ["a"])
        // Paths are built only when a value fails; they still name the element and the key inside it.
        struct Item: Codable { var n: Int }
        struct Lists: Codable { var list: [Int]; var items: [Item] }
        for (text, path) in [
            (#"{"list":[1,"x"],"items":[]}"#, ["list", "1"]), (#"{"list":[],"items":[{"n":1},{"n":"x"}]}"#, ["items", "1", "n"]),
        ] {
            do {
                _ = try StreamingJSONDecoder().decode(Lists.self, from: text)
                Issue.record("accepted \(text)")
            } catch let DecodingError.typeMismatch(_, context) {
                #expect(context.codingPath.map(\.stringValue) == path)
            }
        }
        guard case .dataCorrupted = error(#"{"a":99999999999999999999,"b":"x"}"#) else { Issue.record("overflow"); return }
        for malformed in [
            #"{"a":1,"b":"x"} trailing"#, #"{"a":1,"b":"x""#, #"{"a":1 "b":"x"}"#, #"{"a":1,"b":"\q"}"#, "", #"{"a":tru,"b":"x"}"#,
        ] {
            guard case .dataCorrupted = error(malformed) else { Issue.record("accepted malformed: \(malformed)"); continue }
        }
        #expect(throws: DecodingError.self) { _ = try StreamingJSONDecoder().decode(Int8.self, from: "128") }
        #expect(try StreamingJSONDecoder().decode(Int8.self, from: "-128") == -128)
        #expect(try StreamingJSONDecoder().decode(Int64.self, from: "-9223372036854775808") == Int64.min)
        #expect(try StreamingJSONDecoder().decode(UInt64.self, from: "18446744073709551615") == UInt64.max)
        #expect(try StreamingJSONDecoder().decode(Int.self, from: "1e3") == 1000)
    }

    @Test("random text of any Unicode scalars survives both ways and reads back in Foundation")
    func randomText() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let scalars = (0..<Int.random(in: 0...40, using: &rng)).compactMap { _ -> Unicode.Scalar? in
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: return Unicode.Scalar(UInt8.random(in: 0...0x7F, using: &rng))
                case 1: return Unicode.Scalar(UInt32.random(in: 0x4E00...0x9FFF, using: &rng))
                case 2: return Unicode.Scalar(UInt32.random(in: 0x1F300...0x1FAFF, using: &rng))
                default: return Unicode.Scalar(UInt32.random(in: 0x80...0xD7FF, using: &rng))
                }
            }
            let text = String(String.UnicodeScalarView(scalars))
            let streamed = try StreamingJSONEncoder().encode([text])
            #expect(try JSONDecoder().decode([String].self, from: Data(streamed)) == [text])
            #expect(try StreamingJSONDecoder().decode([String].self, from: streamed) == [text])
            #expect(try StreamingJSONDecoder().decode([String].self, from: [UInt8](JSONEncoder().encode([text]))) == [text])
        }
    }
}
