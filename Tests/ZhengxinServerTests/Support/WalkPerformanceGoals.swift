import Foundation

extension Walk {
    /// 绩效目标 (R-GOAL-1, 第五条) every walked draft declares: one 产出, one 效益 and one 满意度 indicator.
    static var indicators: [[String: Any]] {
        [
            ["name": "接入部门数", "category": "quantity", "comparison": "atLeast", "target": "40", "unit": "个", "weight": "40"],
            ["name": "办件平均时长缩短", "category": "social", "comparison": "atLeast", "target": "30", "unit": "%", "weight": "40"],
            ["name": "服务对象满意度", "category": "serviceSatisfaction", "comparison": "atLeast", "target": "90", "unit": "%", "weight": "20"],
        ]
    }
}
