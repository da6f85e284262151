import Foundation

/// What the server's 查重 found for a project when an action needs it (R-REV-3, 第七条 项目的集约性,
/// 第二十七条). A rule sees one record, so the city-wide ranking is a fact loaded by the server and
/// passed in the DecisionContext, as the clock and the policy are.
public struct SimilarityFacts: Sendable, Equatable {
    /// One of the current top matches.
    public struct Match: Sendable, Equatable {
        /// nil for a restricted match: a 涉密 project (第十七条) reaches the core without anything that
        /// identifies it, so no refusal, audit entry or stored opinion can name it.
        public var projectId: UUID?
        /// "code name" as a refusal names the project; empty for a restricted match.
        public var label: String
        public var score: Double

        public init(projectId: UUID, label: String, score: Double) {
            (self.projectId, self.label, self.score) = (projectId, label, score)
        }

        public static func restricted(score: Double) -> Match { Match(nil, score: score) }

        private init(_ id: UUID?, score: Double) { (projectId, label, self.score) = (id, "", score) }

        public var isRestricted: Bool { projectId == nil }
        public var verdict: SimilarityVerdict { SimilarityVerdict(score: score) }
    }

    public var matches: [Match]
    /// Ids the payload names as considered that are no project the reviewer may see: unknown ids
    /// and 涉密 projects the reviewer is not named on alike, so that naming an id learns nothing.
    public var unknownNamed: Set<UUID>
    /// Ids the payload names that are 涉密 projects the reviewer is named on: still not to be written
    /// into an opinion that others read (第十七条), so acknowledged as restricted instead.
    public var classifiedNamed: Set<UUID>

    public init(matches: [Match], unknownNamed: Set<UUID> = [], classifiedNamed: Set<UUID> = []) {
        self.matches = matches
        self.unknownNamed = unknownNamed
        self.classifiedNamed = classifiedNamed
    }

    /// The matches a 集约性 finding must account for: 相似 or 疑似重复 (SimilarityVerdict's thresholds).
    public var requiringConsideration: [Match] { matches.filter { $0.verdict != .none } }
}
