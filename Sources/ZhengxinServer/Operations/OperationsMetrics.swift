import NIOConcurrencyHelpers
import Prometheus
import Vapor
import ZhengxinCore

/// The counters and histograms `/metrics` shows, in a Prometheus registry of this application's
/// own: tests run many applications in one process, and each must count only its own requests,
/// so nothing here goes through the process-wide MetricsSystem.
///
/// Every label value comes from a closed set (route patterns, the action catalog, rule ids,
/// fixed words), never from the raw path or the caller's input, so no request can add a series.
final class OperationsMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// Request latency from 1 ms to 10 s; the benchmark's answers sit between 1 and 50 ms.
    static let latencyBuckets: [Duration] = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000].map { .milliseconds($0) }
    /// A deadline scan takes from milliseconds (incremental, few projects) to minutes (full, 100,000 projects).
    static let scanBuckets: [Duration] = [0.01, 0.1, 0.5, 1, 5, 15, 60, 300].map { .milliseconds(Int64($0 * 1000)) }

    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhengxin", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "Time to answer a request, by route pattern, method and status class")
    }
    static var actions: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhengxin", subsystem: "project", metricName: "actions", unitName: "total",
            helpText: "Project actions answered, by action and result (accepted, refused, forbidden)")
    }
    static var refusalRules: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhengxin", subsystem: "project", metricName: "action_refusal_rules", unitName: "total",
            helpText: "Refused project actions, once per rule id the refusal names, by action and rule")
    }
    static var auditEntries: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhengxin", subsystem: "audit", metricName: "entries_appended", unitName: "total",
            helpText: "Audit entries appended and committed")
    }
    static var scanDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhengxin", subsystem: "deadline", metricName: "scan_duration", unitName: "seconds",
            helpText: "Deadline scans completed by this process, by scope (full, incremental)")
    }
    static var logins: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhengxin", subsystem: "auth", metricName: "logins", unitName: "total",
            helpText: "Login attempts, by result (accepted, refused, throttled, invalid)")
    }

    static var mailOutbox: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhengxin", subsystem: "mail", metricName: "outbox", unitName: "messages",
            helpText: "Outbox rows at the scrape, by status (pending: waiting or retrying; failed: given up after the last retry)")
    }

    init() {
        // Shown from the start, so a scrape before the first write reads 0 rather than nothing.
        _ = registry.makeCounter(descriptor: Self.auditEntries)
    }

    /// The request histograms made so far: every request records into one, and asking the registry
    /// each time would check the name, labels and help text on every request.
    private let requestSeries = NIOLockedValueBox<[RequestSeries: DurationHistogram]>([:])

    private struct RequestSeries: Hashable {
        var route: String
        var method: String
        var statusClass: UInt
    }

    func request(route: String, method: String, status: UInt, duration: Duration) {
        let series = RequestSeries(route: route, method: method, statusClass: min(max(status / 100, 1), 5))
        let histogram = requestSeries.withLockedValue { made in
            if let histogram = made[series] { return histogram }
            let labels = [("route", route), ("method", method), ("status_class", "\(series.statusClass)xx")]
            let histogram = registry.makeDurationHistogram(descriptor: Self.requestDuration, labels: labels, buckets: Self.latencyBuckets)
            made[series] = histogram
            return histogram
        }
        histogram.record(duration)
    }

    enum ActionResult: String { case accepted, refused, forbidden }

    /// One answered project action; a refusal also counts once for each distinct rule id it names.
    func action(_ action: String, _ result: ActionResult, violations: [Violation] = []) {
        registry.makeCounter(descriptor: Self.actions, labels: [("action", action), ("result", result.rawValue)]).increment()
        for rule in Set(violations.map(\.rule)).sorted() {
            registry.makeCounter(descriptor: Self.refusalRules, labels: [("action", action), ("rule", rule)]).increment()
        }
    }

    /// Entries that committed (AuditChainCursor counts them; a rolled-back transaction's do not count).
    func auditAppended(_ count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(descriptor: Self.auditEntries).increment(by: Int64(count))
    }

    func deadlineScan(full: Bool, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.scanDuration, labels: [("scope", full ? "full" : "incremental")], buckets: Self.scanBuckets
        ).record(duration)
    }

    enum LoginResult: String { case accepted, refused, throttled, invalid }

    func login(_ result: LoginResult) {
        registry.makeCounter(descriptor: Self.logins, labels: [("result", result.rawValue)]).increment()
    }

    /// The outbox's depth, read from the table at each scrape: every server shares the one outbox.
    func mailOutbox(pending: Int, failed: Int) {
        for (status, count) in [("pending", pending), ("failed", failed)] {
            registry.makeGauge(descriptor: Self.mailOutbox, labels: [("status", status)]).set(Int64(count))
        }
    }

    /// The Prometheus text exposition of everything counted so far.
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return buffer
    }
}

extension Application {
    private struct OperationsMetricsKey: StorageKey, LockKey { typealias Value = OperationsMetrics }

    /// This application's metrics, made on first use.
    var operationsMetrics: OperationsMetrics { shared(OperationsMetricsKey.self) { OperationsMetrics() } }
}
