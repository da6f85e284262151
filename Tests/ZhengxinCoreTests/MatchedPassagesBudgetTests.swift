import Foundation
import Testing

@testable import ZhengxinCore

/// 查重's matched passages (R-REV-3, 第七条) on hostile text: a field of one repeated character must
/// not pair every position with every other; the work is counted, never timed.
@Suite("查重 matched passages: bounded work")
struct MatchedPassagesBudgetTests {
    static func find(_ query: String, _ candidate: String) -> (passages: [MatchedPassage], work: Int) {
        var work = 0
        let found = MatchedPassages.find(
            .content, query: SimilarityText.normalise(query), candidate: SimilarityText.normalise(candidate), work: &work)
        return (found, work)
    }

    @Test("5000 of one character against 5000 of it: no seed is tried, nothing is matched")
    func oneCharacterRun() {
        let run = String(repeating: "测", count: 5000)
        let (passages, work) = Self.find(run, run)
        #expect(passages.isEmpty)
        #expect(work == 0)
    }

    @Test("a two-character cycle and a run around an ordinary passage: bounded work, the passage still found")
    func repeatedAroundOrdinary() {
        let cycle = String(repeating: "测试", count: 2500)
        let query = cycle + "。建设城市道路交通视频汇聚平台。" + String(repeating: "测", count: 5000)
        let candidate = String(repeating: "测", count: 5000) + "道路交通视频汇聚" + cycle
        let (passages, work) = Self.find(query, candidate)
        #expect(passages.map(\.text) == ["道路交通视频汇聚"])
        #expect(work <= 100)
    }

    @Test("a trigram at 16 occurrences still seeds; at 17 it does not")
    func occurrenceBoundary() {
        let sixteen = Array(repeating: "数据共享", count: 16).joined(separator: "。")
        let seventeen = Array(repeating: "数据共享", count: 17).joined(separator: "。")
        #expect(Self.find(sixteen, "数据共享").passages.map(\.text) == ["数据共享"])
        #expect(Self.find(seventeen, "数据共享").passages.isEmpty)
        #expect(Self.find("数据共享", seventeen).passages.isEmpty)
    }

    @Test("many distinct shared passages stop at the work budget with what was found")
    func budget() {
        // Distinct 8-character sentences, each shared by both texts 16 times: every trigram is
        // seedable and pairs 16 × 16 ways.
        var sentences: [String] = []
        for n in 0..<200 {
            let scalars = (0..<8).map { Character(Unicode.Scalar(0x4E00 + n * 8 + $0)!) }
            sentences.append(String(scalars))
        }
        let text = Array(repeating: sentences.joined(separator: "。"), count: 16).joined(separator: "。")
        let (passages, work) = Self.find(text, text)
        #expect(work <= MatchedPassages.workBudget + text.unicodeScalars.count)
        #expect(work > MatchedPassages.workBudget)
        #expect(passages.count == MatchedPassages.perField && passages.allSatisfy { $0.length == 8 })
    }

    @Test("the index ranks a repeated-character declaration against another with passages bounded")
    func throughIndex() {
        let run = String(repeating: "测", count: 5000)
        let doc = SimilarityDocument(id: "a", name: run, content: run, goals: run, infrastructure: run)
        let query = SimilarityDocument(id: "q", name: run, content: run, goals: run, infrastructure: run)
        let top = SimilarityIndex(documents: [doc]).rank(query)
        #expect(top.first?.id == "a" && top.first?.passages.isEmpty == true)
    }
}
