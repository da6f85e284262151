import ZhengxinCore

/// The walker as a seeder outside this module (the benchmark's generator) starts it: the actors, the
/// unit and the document store, every accepted step recorded into its project's audit trail.
extension DemoWalker {
    package init(actors: [OrganisationType: Actor], unit: Actor, store: DocumentStore, recordingInto recorder: AuditedWalkRecorder) {
        self.init(actors: actors, unit: unit, store: store)
        observe = { recorder.record($0.action, by: $0.actor, at: $0.at, before: $0.before, after: $0.after, summary: $0.summary) }
    }
}
