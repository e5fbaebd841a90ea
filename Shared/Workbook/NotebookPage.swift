import Foundation
import Support

/// A chapter's run as one HTML page, as a notebook keeps a session: each step's explanation,
/// definitions, code and output. Styles and pictures are inline, so the one file can be handed out.
public enum NotebookPage {
    /// The page for `record`.
    public static func html(_ record: RunRecord) -> String {
        var body = "<header>\n<h1>\(HTMLText.escape(record.title))</h1>\n"
        if !record.about.isEmpty { body += MarkdownHTML.html(record.about) + "\n" }
        body += "<p class=\"facts\">\(HTMLText.escape(record.facts))</p>\n"
        if record.firstShown > 1 {
            let quiet = record.firstShown == 2 ? "Step 1" : "Steps 1–\(record.firstShown - 1)"
            body += "<p class=\"facts\">\(quiet) ran without output (--from \(record.firstShown)).</p>\n"
        }
        body += "</header>\n"
        for step in record.steps { body += section(step, of: record.stepCount) }
        body += ending(record)
        return HTMLText.document(title: record.title, style: style, main: body)
    }

    /// Writes the page for `record` as `<folder>/<record.name>.html`, creating the folder.
    /// - Returns: the page's location.
    /// - Throws: the file system's error when the folder cannot be made or the file written.
    @discardableResult
    public static func write(_ record: RunRecord, to folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(record.name + ".html")
        try Data(html(record).utf8).write(to: url, options: .atomic)
        return url
    }

    private static func section(_ step: StepRecord, of count: Int) -> String {
        let shown = step.shown
        var html = "<section class=\"step\" id=\"step-\(shown.number)\">\n"
        html += "<h2><span class=\"step-number\">\(shown.number)/\(count)</span> \(HTMLText.escape(shown.title))</h2>\n"
        if !step.explain.isEmpty { html += MarkdownHTML.html(step.explain) + "\n" }
        for definition in shown.definitions {
            let text = dedent(definition.text.split(separator: "\n", omittingEmptySubsequences: false))
            html += "<figure class=\"definition\"><figcaption><b>\(HTMLText.escape(definition.displayPath))</b>, "
            html += "\(HTMLText.escape(definition.location))</figcaption>\n"
            html += "<pre><code>\(SwiftHighlighter.html(text))</code></pre></figure>\n"
        }
        if !shown.code.isEmpty {
            html += "<pre class=\"code\"><code>\(SwiftHighlighter.html(shown.code))</code></pre>\n"
        }
        for item in step.items { html += output(item) }
        if step.seconds >= 1 { html += "<p class=\"time\">\(String(format: "%.1f s", step.seconds))</p>\n" }
        return html + "</section>\n"
    }

    private static func output(_ item: StepRecord.Item) -> String {
        switch item {
        case .text(let text):
            return "<pre class=\"output\">\(HTMLText.escape(text))</pre>\n"
        case .table(let header, let rows):
            var html = "<div class=\"table\"><table>\n<thead><tr>"
            html += header.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
            for row in rows { html += "<tr>" + row.map(cell).joined() + "</tr>\n" }
            return html + "</tbody></table></div>\n"
        case .picture(let url, let caption):
            let alt = HTMLText.attribute(caption ?? url.lastPathComponent)
            guard let data = try? Data(contentsOf: url) else {
                return "<p class=\"missing\">The picture \(HTMLText.escape(url.path)) could not be read.</p>\n"
            }
            // The pictures are PNG files (plots, images) or SVG drawings (the autograd graph).
            let type = url.pathExtension.lowercased() == "svg" ? "image/svg+xml" : "image/png"
            var html = "<figure class=\"picture\"><img alt=\"\(alt)\" src=\"data:\(type);base64,"
            html += data.base64EncodedString() + "\">"
            html += "<figcaption>\(HTMLText.escape(caption ?? url.lastPathComponent))</figcaption></figure>\n"
            return html
        }
    }

    /// A table cell; numbers (`2.3026`, `0.4 s`) are set right-aligned so their digits line up, words
    /// left-aligned.
    private static func cell(_ text: String) -> String {
        let number = text.hasSuffix(" s") ? String(text.dropLast(2)) : text
        let numeric = Double(number) != nil
        return (numeric ? "<td class=\"num\">" : "<td>") + HTMLText.escape(text) + "</td>"
    }

    private static func ending(_ record: RunRecord) -> String {
        let time = String(format: "%.1f s", record.seconds)
        switch record.ending {
        case .finished:
            return "<footer><p>Done: \(record.stepCount) steps in \(time).</p></footer>\n"
        case .running:
            return "<footer class=\"stopped\"><p>The run was still going when this page was last written, after "
                + "step \(record.steps.last?.shown.number ?? 0) of \(record.stepCount): it is still running, or it was "
                + "interrupted.</p></footer>\n"
        case .stopped(let after):
            return "<footer class=\"stopped\"><p>Stopped after step \(after) of \(record.stepCount) "
                + "(q pressed), \(time) in.</p></footer>\n"
        case .failed(let step, let message):
            return "<footer class=\"stopped\"><p>The run stopped with an error in step \(step) of "
                + "\(record.stepCount):</p>\n<pre class=\"error\">\(HTMLText.escape(message))</pre></footer>\n"
        }
    }

    private static let style = """
        :root { color-scheme: light dark; --bg: #fdfdfc; --fg: #1d1f21; --dim: #6a6f75; --code-bg: #f3f4f6;
          --rule: #d8dbe0; --accent: #2456b3; --kw: #a626a4; --str: #50873a; --num: #b35d00; --type: #0f6b8f;
          --comment: #8a9199; --err: #c0262d; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #17191c; --fg: #e3e5e8; --dim: #9aa1a9; --code-bg: #22252a; --rule: #3a3f46;
            --accent: #7aa7ff; --kw: #d291e4; --str: #9fcf84; --num: #f0a45d; --type: #6cc4e0;
            --comment: #7f8792; --err: #ff7b7b; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg);
          font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.6rem; margin: 0.5rem 0; }
        h2 { font-size: 1.2rem; margin: 0 0 0.5rem; }
        .step-number { color: var(--accent); font-variant-numeric: tabular-nums; margin-right: 0.3rem; }
        .facts, .time, figcaption { color: var(--dim); font-size: 0.9rem; }
        section.step { border-top: 1px solid var(--rule); padding: 1rem 0; }
        pre, code { font: 0.85rem/1.45 ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
        p code { background: var(--code-bg); padding: 0.05rem 0.25rem; border-radius: 3px; }
        pre { background: var(--code-bg); padding: 0.6rem 0.8rem; border-radius: 6px; overflow-x: auto; }
        pre.code { border-left: 3px solid var(--accent); }
        pre.code, figure.definition pre, pre.output { white-space: pre-wrap; overflow-wrap: anywhere; }
        pre.output { background: transparent; border: 1px solid var(--rule); }
        pre.error, footer.stopped { color: var(--err); }
        figure { margin: 0.8rem 0; }
        figure.definition pre { margin-top: 0.2rem; }
        figure.picture img { display: block; max-width: 100%; height: auto; image-rendering: auto; }
        .table { overflow-x: auto; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th, td { padding: 0.2rem 0.8rem; border-bottom: 1px solid var(--rule); text-align: left; }
        td.num { text-align: right; }
        th { color: var(--dim); font-weight: 600; }
        .keyword { color: var(--kw); } .string { color: var(--str); } .number { color: var(--num); }
        .type { color: var(--type); } .comment { color: var(--comment); font-style: italic; }
        footer { border-top: 1px solid var(--rule); padding-top: 1rem; color: var(--dim); }
        @media (max-width: 40rem) { main { padding: 0.6rem; } pre, code { font-size: 0.78rem; } }
        """
}
