import Foundation
import Testing

@testable import ZhengxinCore

/// What the labelled 查重 corpus covers (第七条 集约性, 第二十七条), and the ranking's precision and recall
/// of the top five as a reviewer reads them: every result at 相似 or above.
@Suite("查重 corpus coverage")
struct SimilarityCorpusCoverageTests {
    typealias R = SimilarityRankingTests

    @Test("duplicate pairs span units and years; near misses stay in one domain")
    func coverage() {
        let pairs = SimilarityCorpus.duplicates.map { (R.byId[$0.0]!, R.byId[$0.1]!) }
        let acrossUnits = pairs.filter { $0.0.unit != $0.1.unit }.count
        let acrossYears = pairs.filter { $0.0.year != $0.1.year }.count
        let renamed = pairs.filter { $0.0.name != $0.1.name }.count
        print(
            "查重 corpus: \(R.corpus.count) projects, \(pairs.count) duplicate pairs (\(acrossUnits) across units, \(acrossYears) across years, \(renamed) renamed), \(SimilarityCorpus.nearMisses.count) near misses"
        )
        #expect(acrossUnits >= 3 && acrossYears >= 3 && renamed == pairs.count)
    }

    @Test("top 5 at 相似 or above: precision and recall reported, recall held at 0.9")
    func precisionAndRecallAtFive() {
        var shown = 0, correct = 0
        for p in R.corpus {
            for m in R.ranked(p.id) where m.verdict != .none {
                shown += 1
                if R.duplicatePairs.contains([p.id, m.id]) { correct += 1 }
            }
        }
        let expected = 2 * SimilarityCorpus.duplicates.count
        let precision = shown == 0 ? 0 : Double(correct) / Double(shown)
        let recall = Double(correct) / Double(expected)
        print(
            "查重 top-5 at 相似 or above: precision = \(correct)/\(shown) = \(String(format: "%.3f", precision)), recall = \(correct)/\(expected) = \(String(format: "%.3f", recall))"
        )
        #expect(recall >= 0.9)
    }
}
