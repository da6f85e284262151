import Foundation

/// 信息资源共享的范围和程度 (R-SHR-4, 第二十八条): the basis for investment and O&M funding decisions.
///
/// Counts are over active (not withdrawn) entries; entries touching secrets are counted (counts
/// only, as for 涉密 projects) but never exported. Ratios are exact integers in basis points
/// (万分之一), rounded down, nil when there are no entries:
/// - `sharingRatio` = (无条件共享 + 有条件共享) ÷ entries — 第二十七条 "以共享为原则";
/// - `unconditionalRatio`, `conditionalRatio`, `notSharedRatio` = each type ÷ entries;
/// - `registeredRatio` = entries on the exchange platform ÷ entries not touching secrets (the ones
///   that can be registered), nil when there are none.
/// Pooled figures (a unit's) add the counts and compute the ratios from the sums, so a large
/// catalog weighs more than a small one.
public struct SharingFigures: Codable, Sendable, Hashable {
    public var projects = 0
    public var projectsWithCatalog = 0
    public var projectsRegistered = 0
    public var entries = 0
    public var unconditional = 0
    public var conditional = 0
    public var notShared = 0
    public var openUnconditional = 0
    public var openConditional = 0
    public var notOpen = 0
    public var secretEntries = 0
    public var registeredEntries = 0
    public var withdrawnEntries = 0
    public var feedbackCount = 0
    public var bySharingMethod: [String: Int] = Dictionary(uniqueKeysWithValues: SharingMethod.allCases.map { ($0.rawValue, 0) })

    public var sharedEntries: Int { unconditional + conditional }
    public var sharingRatioBasisPoints: Int? { Self.ratio(sharedEntries, entries) }
    public var unconditionalRatioBasisPoints: Int? { Self.ratio(unconditional, entries) }
    public var conditionalRatioBasisPoints: Int? { Self.ratio(conditional, entries) }
    public var notSharedRatioBasisPoints: Int? { Self.ratio(notShared, entries) }
    public var registeredRatioBasisPoints: Int? { Self.ratio(registeredEntries, entries - secretEntries) }

    public init() {}

    /// ⌊10000 × part ÷ whole⌋, nil for an empty whole.
    public static func ratio(_ part: Int, _ whole: Int) -> Int? { whole > 0 ? part * 10_000 / whole : nil }

    /// The parts of a record the figures follow, decodable from a record's JSON alone: a reader that
    /// needs only the figures (the check of every project's sharing row) skips decoding the rest.
    public struct Facts: Decodable, Sendable {
        public var sharing: SharingRecord
        public var catalogRegistration: CatalogRegistration?
    }

    /// One project's figures.
    public static func of(_ p: ProjectRecord) -> SharingFigures {
        of(Facts(sharing: p.sharing, catalogRegistration: p.catalogRegistration))
    }

    public static func of(_ p: Facts) -> SharingFigures {
        var f = SharingFigures()
        let active = p.sharing.activeEntries
        f.projects = 1
        f.projectsWithCatalog = active.isEmpty ? 0 : 1
        f.projectsRegistered = p.catalogRegistration == nil ? 0 : 1
        f.entries = active.count
        f.withdrawnEntries = p.sharing.entries.count - active.count
        f.feedbackCount = p.sharing.feedback.count
        for e in active {
            switch e.fields.sharingType {
            case .unconditional: f.unconditional += 1
            case .conditional: f.conditional += 1
            case .notShared: f.notShared += 1
            }
            switch e.fields.openType {
            case .unconditional: f.openUnconditional += 1
            case .conditional: f.openConditional += 1
            case .notOpen: f.notOpen += 1
            }
            if e.involvesSecrets { f.secretEntries += 1 }
            if e.registration != nil { f.registeredEntries += 1 }
            f.bySharingMethod[e.fields.sharingMethod.rawValue, default: 0] += 1
        }
        return f
    }

    /// Several projects' figures added up (a unit's).
    public static func pooled(_ all: [SharingFigures]) -> SharingFigures {
        var t = SharingFigures()
        for f in all {
            t.projects += f.projects
            t.projectsWithCatalog += f.projectsWithCatalog
            t.projectsRegistered += f.projectsRegistered
            t.entries += f.entries
            t.unconditional += f.unconditional
            t.conditional += f.conditional
            t.notShared += f.notShared
            t.openUnconditional += f.openUnconditional
            t.openConditional += f.openConditional
            t.notOpen += f.notOpen
            t.secretEntries += f.secretEntries
            t.registeredEntries += f.registeredEntries
            t.withdrawnEntries += f.withdrawnEntries
            t.feedbackCount += f.feedbackCount
            for (k, v) in f.bySharingMethod { t.bySharingMethod[k, default: 0] += v }
        }
        return t
    }

    enum CodingKeys: String, CodingKey {
        case projects, projectsWithCatalog, projectsRegistered, entries, unconditional, conditional, notShared
        case openUnconditional, openConditional, notOpen, secretEntries, registeredEntries, withdrawnEntries, feedbackCount, bySharingMethod
        case sharedEntries, sharingRatioBasisPoints, unconditionalRatioBasisPoints, conditionalRatioBasisPoints
        case notSharedRatioBasisPoints, registeredRatioBasisPoints
    }

    /// The derived figures go on the wire too (null when there are no entries).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(projects, forKey: .projects)
        try c.encode(projectsWithCatalog, forKey: .projectsWithCatalog)
        try c.encode(projectsRegistered, forKey: .projectsRegistered)
        try c.encode(entries, forKey: .entries)
        try c.encode(unconditional, forKey: .unconditional)
        try c.encode(conditional, forKey: .conditional)
        try c.encode(notShared, forKey: .notShared)
        try c.encode(openUnconditional, forKey: .openUnconditional)
        try c.encode(openConditional, forKey: .openConditional)
        try c.encode(notOpen, forKey: .notOpen)
        try c.encode(secretEntries, forKey: .secretEntries)
        try c.encode(registeredEntries, forKey: .registeredEntries)
        try c.encode(withdrawnEntries, forKey: .withdrawnEntries)
        try c.encode(feedbackCount, forKey: .feedbackCount)
        try c.encode(bySharingMethod, forKey: .bySharingMethod)
        try c.encode(sharedEntries, forKey: .sharedEntries)
        for (value, key) in [
            (sharingRatioBasisPoints, CodingKeys.sharingRatioBasisPoints), (unconditionalRatioBasisPoints, .unconditionalRatioBasisPoints),
            (conditionalRatioBasisPoints, .conditionalRatioBasisPoints), (notSharedRatioBasisPoints, .notSharedRatioBasisPoints),
            (registeredRatioBasisPoints, .registeredRatioBasisPoints),
        ] {
            if let value { try c.encode(value, forKey: key) } else { try c.encodeNil(forKey: key) }
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        projects = try c.decode(Int.self, forKey: .projects)
        projectsWithCatalog = try c.decode(Int.self, forKey: .projectsWithCatalog)
        projectsRegistered = try c.decode(Int.self, forKey: .projectsRegistered)
        entries = try c.decode(Int.self, forKey: .entries)
        unconditional = try c.decode(Int.self, forKey: .unconditional)
        conditional = try c.decode(Int.self, forKey: .conditional)
        notShared = try c.decode(Int.self, forKey: .notShared)
        openUnconditional = try c.decode(Int.self, forKey: .openUnconditional)
        openConditional = try c.decode(Int.self, forKey: .openConditional)
        notOpen = try c.decode(Int.self, forKey: .notOpen)
        secretEntries = try c.decode(Int.self, forKey: .secretEntries)
        registeredEntries = try c.decode(Int.self, forKey: .registeredEntries)
        withdrawnEntries = try c.decode(Int.self, forKey: .withdrawnEntries)
        feedbackCount = try c.decode(Int.self, forKey: .feedbackCount)
        bySharingMethod = try c.decode([String: Int].self, forKey: .bySharingMethod)
    }
}
