import ZhengxinCore

/// 绩效目标 (R-GOAL-1, 第五条) and 绩效评价 (R-GOAL-2, 第三十五条) in PayloadSchemas' notation: the rows a
/// unit types, the scores an evaluating agency gives, and how both rest in the project record.
/// Figures (targets, weights, scores) are decimal text: JSON numbers with a fraction are refused.
enum PerformanceSchemas {
    static let actions: [String: String] = [
        "evaluate-performance": "evaluatedOn:date conclusion:string scores:[#IndicatorScoreInput]"
    ]
    static let components: [String: String] = [
        "PerformanceIndicatorInput":
            "name:string category:enum:IndicatorCategory comparison:enum:IndicatorComparison target:string unit:string ?weight:string",
        "IndicatorScoreInput": "indicatorNumber:int actual:string score:string evidence:string ?evidenceDocumentNumber:int",
        // As stored in the record (`project.performanceGoals`, `project.supervision.evaluations`).
        "PerformanceGoals": "indicators:[#PerformanceIndicator] weightsGiven:bool",
        "PerformanceIndicator":
            "number:int category:enum:IndicatorCategory name:string comparison:enum:IndicatorComparison target:string unit:string weight:string",
        "PerformanceEvaluation":
            "number:int agency:string agencyOrganisationId:uuid evaluatedOn:date recordedOn:date conclusion:string scores:[#IndicatorScore] total:string grade:enum:PerformanceGrade",
        "IndicatorScore": "indicatorNumber:int actual:string met:bool score:string evidence:string ?evidenceDocumentNumber:int",
    ]
    static let enums: [String: [String]] = [
        "IndicatorCategory": IndicatorCategory.allCases.map(\.rawValue),
        "IndicatorComparison": IndicatorComparison.allCases.map(\.rawValue),
        "PerformanceGrade": PerformanceGrade.allCases.map(\.rawValue),
    ]
}
