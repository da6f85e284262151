import Vapor

/// The files the pages offer, on the API too (`/api/v1/...` with a bearer token), by the same
/// handlers with the same scope and 涉密 handling: a signed decision's PDF (DecisionPages.pdf), the
/// reports' CSV and .xlsx files and the project list's .xlsx (ReportPages, XLSXExports). A refusal
/// is the API's JSON error.
enum DownloadRoutes {
    static func register(_ protected: RoutesBuilder) {
        protected.get("projects", ":projectId", "decisions", ":file", use: DecisionPages().pdf)
        ReportPages().registerDownloads(protected)
    }
}
