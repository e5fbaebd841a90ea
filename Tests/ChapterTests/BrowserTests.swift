import Foundation
import Testing

/// A headless Chromium, if one is installed: `$CHROMIUM`, else `chromium` or `chromium-browser` on
/// the `PATH` (Debian's package is `chromium`; `make test` installs it).
enum Browser {
    static let path: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let custom = environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: custom) { return custom }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }()

    /// Said on standard error as well as in the test's skip comment, so a run without a browser does
    /// not pass for one that checked the page.
    static func announceSkip() -> Bool {
        guard path == nil else { return true }
        FileHandle.standardError.write(
            Data(
                ("\n*** BrowserTests SKIPPED: no chromium found (apt-get install -y chromium, or set CHROMIUM). "
                    + "The chapter page was NOT checked in a browser. ***\n\n").utf8))
        return false
    }

    /// What the harness page found in the chapter's page once everything had loaded.
    struct Report: Decodable {
        struct Picture: Decodable {
            var width: Int
            var loaded: Bool
        }
        struct Step: Decodable {
            var title: String
            var code: String
        }
        var pictures: [Picture]
        var steps: [Step]
        /// How many blocks of code are wider than their box: lines the reader cannot see without
        /// scrolling. The page wraps long lines, so none should be.
        var overflowing: Int
    }

    /// Opens `pages` (files in one folder) in one headless Chromium, each in an iframe of a small
    /// harness page whose script reads each loaded page's pictures and steps; returns, page by page,
    /// what it found and the browser console's lines that came from that page. One browser for all the
    /// pages, as starting Chromium is most of what this costs.
    static func inspect(_ pages: [URL]) throws -> [(report: Report, console: [String])] {
        let folder = pages[0].deletingLastPathComponent()
        let harness = folder.appendingPathComponent("harness-\(pages[0].lastPathComponent)")
        let frames = pages.map { #"<iframe src="\#($0.lastPathComponent)" width="1200" height="2000"></iframe>"# }
        try """
        <!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
        \(frames.joined(separator: "\n"))
        <pre id="report">not run</pre>
        <script>
        window.addEventListener("load", () => {
          const reports = [...document.querySelectorAll("iframe")].map(frame => {
            const d = frame.contentDocument;
            const pictures = [...d.images].map(i => ({ width: i.naturalWidth, loaded: i.complete && i.naturalWidth > 0 }));
            const steps = [...d.querySelectorAll("section.step")].map(s => ({
              title: s.querySelector("h2").textContent,
              code: (s.querySelector("pre.code") || { textContent: "" }).textContent }));
            const overflowing = [...d.querySelectorAll("pre.code, figure.definition pre")]
              .filter(p => p.scrollWidth > p.clientWidth + 1).length;
            return { pictures, steps, overflowing };
          });
          document.getElementById("report").textContent = JSON.stringify(reports);
        });
        </script></body></html>
        """.write(to: harness, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: harness) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        // The frames are other files: reading them from the harness needs file access between files.
        // `--no-sandbox` because CI runs tests as root, which Chromium's sandbox refuses; containers'
        // small /dev/shm would crash it without `--disable-dev-shm-usage`.
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--allow-file-access-from-files",
            "--virtual-time-budget=10000", "--enable-logging=stderr", "--v=0", "--dump-dom", harness.absoluteString
        ]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = ErrorBytes()
        let read = DispatchSemaphore(value: 0)
        Thread {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            read.signal()
        }.start()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        read.wait()
        let log = String(decoding: errors.data, as: UTF8.self)
        guard let start = dom.range(of: "<pre id=\"report\">"),
            let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
        else { throw BrowserError(message: "Chromium gave no report (status \(process.terminationStatus)):\n\(log)") }
        let json = String(dom[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"")
        guard json != "not run" else { throw BrowserError(message: "the harness's script did not run:\n\(log)") }
        let reports = try JSONDecoder().decode([Report].self, from: Data(json.utf8))
        guard reports.count == pages.count else {
            throw BrowserError(message: "the harness reported \(reports.count) pages of \(pages.count):\n\(log)")
        }
        // Console messages (errors, failed loads) name their source; the pages have no script of their
        // own, so any line naming one is a fault.
        let lines = log.split(separator: "\n").map(String.init)
            .filter { $0.contains("CONSOLE") && !$0.contains("harness-") }
        return zip(pages, reports).map { page, report in
            (report, lines.filter { $0.contains(page.lastPathComponent) })
        }
    }

    private final class ErrorBytes: @unchecked Sendable {
        var data = Data()
    }

    struct BrowserError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// The page a chapter run writes, opened in a real browser: every step there with its code, every
/// picture decoded, nothing on the console.
@Suite(.serialized) struct BrowserTests {
    @Test(.enabled(if: Browser.announceSkip(), "chromium is not installed: the page was not checked in a browser"))
    func theSchedulingPageLoadsInABrowser() throws {
        // The page of the run the chapter test reads too, and a copy of it whose pictures are spoilt and
        // whose code does not wrap: the checks can fail, as a picture whose bytes are spoilt is reported
        // as not loaded, and the longest lines of code then run past their box.
        let run = try ChapterRunner.scheduling.get()
        #expect(run.status == 0, "\(run.errors)")
        let page = ChapterRunner.schedulingFolder.appendingPathComponent("07-Scheduling.html")
        let broken = ChapterRunner.schedulingFolder.appendingPathComponent("broken.html")
        try String(contentsOf: page, encoding: .utf8)
            .replacingOccurrences(of: "data:image/png;base64,iVBOR", with: "data:image/png;base64,AAAA")
            .replacingOccurrences(of: "white-space: pre-wrap", with: "white-space: pre")
            .write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        let inspected = try Browser.inspect([page, broken])
        let (report, console) = inspected[0]

        let steps = try StepSourceTests.shownSteps("07-Scheduling")
        #expect(report.steps.count == steps.count)
        for (found, step) in zip(report.steps, steps) {
            #expect(found.title == "\(step.number)/\(steps.count) \(step.title)")
            #expect(found.code == step.code, "step \(step.number)'s code, as the browser shows it")
        }
        #expect(report.pictures.count >= 2, "the LR finder's plot and the schedule's")
        for (i, picture) in report.pictures.enumerated() {
            #expect(picture.loaded && picture.width == 640, "picture \(i + 1) did not load: \(picture)")
        }
        #expect(console.isEmpty, "\(console)")
        #expect(report.overflowing == 0, "blocks of code wider than their box")

        let spoilt = inspected[1].report.pictures
        #expect(spoilt.count == report.pictures.count && spoilt.allSatisfy { !$0.loaded })
        #expect(inspected[1].report.overflowing > 0, "without wrapping, 07's longest lines run past their box")
    }
}
