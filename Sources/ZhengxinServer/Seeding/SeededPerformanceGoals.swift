import ZhengxinCore

/// The 绩效目标 a seeded project declares (R-GOAL-1, 第五条), shared by `seed-demo` and the benchmark's
/// generator so that their projects pass `declare` as a unit's would: one 产出, one 效益 and one 满意度
/// indicator, with weights, targets varied by a number the caller derives from the project.
package enum SeededPerformanceGoals {
    package static func indicators(variant: Int) -> [PerformanceIndicatorInput] {
        let v = abs(variant % 5)
        return [
            PerformanceIndicatorInput(
                name: "接入业务部门数", category: .quantity, comparison: .atLeast, target: String(20 + 5 * v), unit: "个", weight: "40"),
            PerformanceIndicatorInput(
                name: "业务办理平均时长缩短", category: .social, comparison: .atLeast, target: String(20 + 2 * v), unit: "%", weight: "40"),
            PerformanceIndicatorInput(
                name: "服务对象满意度", category: .serviceSatisfaction, comparison: .atLeast, target: "90", unit: "%", weight: "20"),
        ]
    }
}
