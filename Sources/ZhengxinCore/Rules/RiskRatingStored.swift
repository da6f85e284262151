extension RiskRating {
    /// A rating as stored by the server (computed earlier by `RiskAssessment.rate`, read back).
    public init(storedLevel level: Int, points: Int, reasons: [RiskReason]) {
        (self.level, self.points, self.reasons) = (level, points, reasons)
    }
}
