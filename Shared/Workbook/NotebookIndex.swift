import Foundation
import Support

/// `index.html` for a folder of run pages: each chapter run, linked, with how it ended, its metrics
/// and time. Made from the `<name>.json` summaries beside the pages, so every run can rewrite it.
public enum NotebookIndex {
    /// What the index says about one run; kept as `<name>.json` beside the run's page.
    public struct RunSummary: Codable, Equatable {
        /// The executable's name, e.g. `07-Scheduling`; the page is `<name>.html`.
        public var name: String
        /// The chapter's title.
        public var title: String
        /// The chapter's summary.
        public var about: String
        /// How the run ended, in words ("9 steps", "stopped after step 3 of 9", "error in step 2: …").
        public var ending: String
        /// Whether every step ran.
        public var finished: Bool
        /// The last row of the last table of results (TrackResults' final epoch), with its header.
        public var metricsHeader: [String]
        /// The cells of that row; empty when the chapter trains nothing.
        public var metrics: [String]
        /// Seconds the run took.
        public var seconds: Double
        /// The settings it ran with (`device cpu · epochs 1 · lr 0.1 · quick`).
        public var facts: String

        /// The summary of `record`.
        public init(_ record: RunRecord) {
            name = record.name
            title = record.title
            about = record.about
            finished = record.ending == .finished
            switch record.ending {
            case .finished: ending = "\(record.stepCount) steps"
            case .running: ending = "still running"
            case .stopped(let after): ending = "stopped after step \(after) of \(record.stepCount)"
            case .failed(let step, let message): ending = "error in step \(step): \(message)"
            }
            metricsHeader = record.finalRow?.header ?? []
            metrics = record.finalRow?.cells ?? []
            seconds = record.seconds
            facts = record.facts
        }
    }

    /// Saves `record`'s summary beside its page and rewrites `<folder>/index.html` from every
    /// summary in `folder`.
    /// - Returns: the index's location.
    /// - Throws: the file system's error when a file cannot be written.
    @discardableResult
    public static func update(with record: RunRecord, in folder: URL) throws -> URL {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(RunSummary(record)).write(
            to: folder.appendingPathComponent(record.name + ".json"), options: .atomic)
        let index = folder.appendingPathComponent("index.html")
        try Data(html(summaries(in: folder)).utf8).write(to: index, options: .atomic)
        return index
    }

    /// The summaries in `folder` that still have their page, by name (so in chapter order). Other
    /// JSON files there are not summaries and are passed over.
    public static func summaries(in folder: URL) -> [RunSummary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { file in
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(file)),
                let summary = try? JSONDecoder().decode(RunSummary.self, from: data),
                FileManager.default.fileExists(atPath: folder.appendingPathComponent(summary.name + ".html").path)
            else { return nil }
            return summary
        }
    }

    /// The index page listing `summaries`.
    public static func html(_ summaries: [RunSummary]) -> String {
        var rows = ""
        for run in summaries {
            let link = HTMLText.attribute(run.name + ".html")
            rows += "<li class=\"\(run.finished ? "run" : "run unfinished")\">\n"
            rows += "<h2><a href=\"\(link)\">\(HTMLText.escape(run.title))</a></h2>\n"
            if !run.about.isEmpty { rows += MarkdownHTML.html(run.about) + "\n" }
            var facts = [run.ending, String(format: "%.1f s", run.seconds), run.facts]
            if !run.metrics.isEmpty { facts.insert(finalMetrics(run), at: 1) }
            rows += "<p class=\"facts\">" + facts.map(HTMLText.escape).joined(separator: " · ") + "</p>\n</li>\n"
        }
        let total = String(format: "%.1f s", summaries.map(\.seconds).reduce(0, +))
        let title = "A fastai Learner from scratch, in Swift"
        let main = """
            <h1>\(title)</h1>
            <p class="facts">\(summaries.count) chapter runs, \(total) in all.</p>
            <ol>
            \(rows)</ol>

            """
        return HTMLText.document(title: title, style: style, main: main)
    }

    /// `final validation: loss 2.4406, accuracy 0.1333 (epoch 0)`: TrackResults' last row, its
    /// training flag and epoch said in words rather than as columns.
    static func finalMetrics(_ run: RunSummary) -> String {
        let cells = Dictionary(zip(run.metricsHeader, run.metrics), uniquingKeysWith: { first, _ in first })
        let phase = cells["training"].map { $0 == "true" ? "training" : "validation" }
        let values = zip(run.metricsHeader, run.metrics).filter { !["epoch", "training", "time"].contains($0.0) }
        return "final " + (phase.map { "\($0): " } ?? "") + values.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            + (cells["epoch"].map { " (epoch \($0))" } ?? "")
    }

    private static let style = """
        :root { color-scheme: light dark; --bg: #fdfdfc; --fg: #1d1f21; --dim: #6a6f75; --rule: #d8dbe0;
          --accent: #2456b3; --err: #c0262d; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #17191c; --fg: #e3e5e8; --dim: #9aa1a9; --rule: #3a3f46; --accent: #7aa7ff; --err: #ff7b7b; }
        }
        body { margin: 0; background: var(--bg); color: var(--fg);
          font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
        ol { list-style: none; padding: 0; }
        li.run { border-top: 1px solid var(--rule); padding: 0.6rem 0; }
        h2 { font-size: 1.15rem; margin: 0; }
        a { color: var(--accent); }
        code { font: 0.85rem ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
        .facts { color: var(--dim); font-size: 0.9rem; }
        li.unfinished .facts { color: var(--err); }
        """
}
