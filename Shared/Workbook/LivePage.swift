import Foundation

/// The page under `--watch`: it reloads itself when the run writes it again, and turns static when
/// the watch ends.
///
/// A `file://` page may not read other files but may load a script from its folder, so each write
/// leaves `<name>.live.js` holding that write's token; the page polls it and reloads on a new one.
public enum LivePage {
    /// Marks the script's element, so that `end` can take it out again.
    static let scriptID = "workbook-live"

    /// Writes the page for `record` in `folder` as `NotebookPage.write` does, with the script that
    /// reloads it, then the script beside it that says which write is the latest.
    /// - Returns: the page's location.
    /// - Throws: the file system's error when the folder cannot be made or a file written.
    @discardableResult
    public static func write(_ record: RunRecord, to folder: URL) throws -> URL {
        let token = UUID().uuidString
        let html = NotebookPage.html(record).replacingOccurrences(
            of: "</body>", with: script(token: token, sidecar: sidecarName(record.name)) + "</body>")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let page = folder.appendingPathComponent(record.name + ".html")
        try Data(html.utf8).write(to: page, options: .atomic)
        // The page first: a browser that sees the new token must find the new page.
        try Data("workbookLive(\"\(token)\");\n".utf8).write(
            to: folder.appendingPathComponent(sidecarName(record.name)), options: .atomic)
        return page
    }

    /// Makes the page `<folder>/<name>.html` static again, as a run without `--watch` writes it, and
    /// deletes the script beside it. Does nothing to a page that has no script.
    /// - Throws: the file system's error when the page cannot be read or written.
    public static func end(name: String, in folder: URL) throws {
        let page = folder.appendingPathComponent(name + ".html")
        if let html = try? String(contentsOf: page, encoding: .utf8),
            let start = html.range(of: "<script id=\"\(scriptID)\">"),
            let stop = html.range(of: "</script>\n", range: start.upperBound..<html.endIndex)
        {
            var text = html
            text.removeSubrange(start.lowerBound..<stop.upperBound)
            try Data(text.utf8).write(to: page, options: .atomic)
        }
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(sidecarName(name)))
    }

    /// `07-Scheduling.live.js`.
    static func sidecarName(_ name: String) -> String { name + ".live.js" }

    /// The script that loads `sidecar` every second: a token other than `token` means the page was
    /// written again, and a missing file means the watch ended; either way the page reloads.
    static func script(token: String, sidecar: String) -> String {
        """
        <script id="\(scriptID)">
        (function () {
          var mine = "\(token)", reloading = false;
          function reload() { if (!reloading) { reloading = true; location.reload(); } }
          window.workbookLive = function (latest) { if (latest !== mine) reload(); };
          setInterval(function () {
            var probe = document.createElement("script");
            probe.src = "\(sidecar)?" + Date.now();
            probe.onload = function () { probe.remove(); };
            probe.onerror = function () { probe.remove(); reload(); };
            document.head.appendChild(probe);
          }, 1000);
        })();
        </script>

        """
    }
}
