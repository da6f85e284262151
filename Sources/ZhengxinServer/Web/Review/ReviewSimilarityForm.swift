import ZhengxinCore

/// The review form's 查重 fields (R-REV-3, 第七条 集约性): drawn on the 集约性 finding only, its
/// considered projects as one checkbox per match (SimilarPanel), ticked back into the JSON list.
enum ReviewSimilarityForm {
    static let considered = "consideredProjects"
    static let restricted = "restrictedConsidered"
    /// CriterionFinding's fields that belong to the 集约性 finding alone (the core refuses them elsewhere).
    static let intensivenessOnly: Set<String> = [considered, restricted, "duplicateAssessment"]

    /// Whether a finding row leaves out this field: every other criterion's row does; 集约性's leaves
    /// out the restricted acknowledgement when no restricted project matches.
    static func skips(_ field: String, criterion: String?, _ choices: FormChoices) -> Bool {
        guard intensivenessOnly.contains(field) else { return false }
        guard criterion == ReviewCriterion.intensiveness.rawValue else { return true }
        return field == restricted && !choices.similarRestricted
    }

    /// The matches as checkboxes, ticked as submitted ("<name>.<id>" = id).
    static func ticked(_ options: [FormOption], name: String, _ values: [String: String]?) -> [FormOption] {
        options.map { o in
            var o = o
            o.selected = values?["\(name).\(o.value)"] == o.value
            return o
        }
    }

    /// A list of ids as typed (one a line) and as ticked, one a line, for FormBody to split.
    static func ids(_ name: String, _ form: FormBody.Form) -> String? {
        let ticked = form.keys(under: name + ".").compactMap { form[$0] }
        let lines = [form[name]].compactMap { $0 } + ticked
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }
}
