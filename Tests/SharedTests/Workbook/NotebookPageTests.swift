import Foundation
import Testing

@testable import Shared
@testable import Workbook

/// `html` with its tags removed and its five entities turned back into characters: what a browser
/// shows as text.
private func visibleText(_ html: String) -> String {
    var out = ""
    var inTag = false
    for character in html {
        if character == "<" {
            inTag = true
        } else if character == ">" && inTag {
            inTag = false
        } else if !inTag {
            out.append(character)
        }
    }
    return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&amp;", with: "&")
}

/// A folder of its own under the temporary directory, removed by the caller.
private func scratchFolder(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
        "\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
}

@Suite struct NotebookPageTests {
    @Test func escapesWhatWouldReadAsMarkup() {
        #expect(HTMLText.escape("a < b && c > d </script>") == "a &lt; b &amp;&amp; c &gt; d &lt;/script&gt;")
        #expect(HTMLText.escape("&amp;") == "&amp;amp;", "an entity in the text stays text")
        #expect(HTMLText.attribute("say \"hi\" & 'bye'") == "say &quot;hi&quot; &amp; &#39;bye&#39;")
        #expect(HTMLText.escape("π ≈ 3.14 · ✓") == "π ≈ 3.14 · ✓")
    }

    @Test func rendersParagraphsAndCodeSpans() {
        let html = MarkdownHTML.html("Calls `fit(1)` on a <model>.\n\nThen `a < b && c`, and ``x `y` z``.")
        #expect(
            html
                == "<p>Calls <code>fit(1)</code> on a &lt;model&gt;.</p>\n"
                + "<p>Then <code>a &lt; b &amp;&amp; c</code>, and <code>x `y` z</code>.</p>")
        #expect(MarkdownHTML.html("a lone ` backtick") == "<p>a lone ` backtick</p>")
        #expect(MarkdownHTML.html("\n\n  \n\n") == "")
    }

    @Test func highlightsSwiftAndKeepsEveryCharacter() {
        let source = """
            /// Doc with <tags> & ampersands.
            let s = "</script>" + #"raw \\(x) "quoted""#  // a < b
            for i in 0..<10 where i > 1e-6 { print(Tensor.zeros([2]), self.lr) }
            let unterminated = "oops
            """
        let html = SwiftHighlighter.html(source)
        #expect(visibleText(html) == source, "highlighting adds markup and loses nothing")
        #expect(!html.contains("</script>") && !html.contains("<tags>"))
        #expect(html.contains("<span class=\"keyword\">let</span>"))
        #expect(html.contains("<span class=\"string\">\"&lt;/script&gt;\"</span>"))
        #expect(html.contains("<span class=\"comment\">// a &lt; b</span>"))
        #expect(html.contains("<span class=\"number\">0</span>..&lt;<span class=\"number\">10</span>"))
        #expect(html.contains("<span class=\"number\">1e-6</span>"))
        #expect(html.contains("<span class=\"type\">Tensor</span>"))
        #expect(html.contains("<span class=\"keyword\">self</span>.lr"), "a member named like a keyword is not one")
    }

    /// A whole run: code with `<`, `&` and `</script>` appears as written, output text and tables and
    /// pictures are there in order, and the page says how the run ended.
    @Test func aRunWritesItsPage() throws {
        let folder = scratchFolder("notebook-page")
        defer { try? FileManager.default.removeItem(at: folder) }
        let picture = folder.appendingPathComponent("square.png")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writePNG(RGBImage(width: 3, height: 2), to: picture.path)

        let book = Workbook(
            title: "99 · Sample <page>", about: "Summary with `code` & more.", commandName: "99-Sample")
        book.step("Escapes", explain: "Prints markup: `</script>` & friends.") { ctx in
            let markup = "<b>bold?</b> & </script>"
            if markup.count < 100 && !markup.isEmpty { ctx.print(markup) }
        }
        book.step("Records", explain: "A table and a picture.") { ctx in
            ctx.print(ctx.style.dim("dimmed"))
            OutputRecording.current?.beginTable(["epoch", "loss"])
            OutputRecording.current?.row(["0", "2.30"])
            OutputRecording.current?.picture(at: picture, caption: "A square")
        }
        let out = TextBuffer()
        #expect(book.run(arguments: [], console: Console(out: out, colors: true), pageFolder: folder) == 0)
        let html = try String(contentsOf: folder.appendingPathComponent("99-Sample.html"), encoding: .utf8)

        #expect(html.contains("<h1>99 · Sample &lt;page&gt;</h1>"))
        #expect(html.contains("<p>Summary with <code>code</code> &amp; more.</p>"))
        #expect(html.contains("<h2><span class=\"step-number\">1/2</span> Escapes</h2>"))
        #expect(html.contains("<p>Prints markup: <code>&lt;/script&gt;</code> &amp; friends.</p>"))
        let code =
            "let markup = \"<b>bold?</b> & </script>\"\nif markup.count < 100 && !markup.isEmpty { ctx.print(markup) }"
        #expect(visibleText(html).contains(code), "the step's code as written")
        #expect(html.contains("<pre class=\"output\">&lt;b&gt;bold?&lt;/b&gt; &amp; &lt;/script&gt;\n</pre>"))
        #expect(!html.contains("</script>") && !html.contains("<b>bold"), "nothing from the run becomes markup")
        #expect(html.contains("<pre class=\"output\">dimmed\n</pre>"), "colours are the terminal's, not the page's")
        #expect(
            html.contains("<tr><th>epoch</th><th>loss</th></tr>")
                && html.contains("<tr><td class=\"num\">0</td><td class=\"num\">2.30</td></tr>"))
        let png = try Data(contentsOf: picture).base64EncodedString()
        #expect(html.contains("<img alt=\"A square\" src=\"data:image/png;base64,\(png)\">"))
        #expect(html.contains("Done: 2 steps"))
        #expect(html.contains("prefers-color-scheme: dark") && html.contains("name=\"viewport\""))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "self-contained")
    }

    @Test func aFailedOrStoppedRunSaysSoOnItsPage() throws {
        let folder = scratchFolder("notebook-stop")
        defer { try? FileManager.default.removeItem(at: folder) }
        struct Broken: Error, LocalizedError {
            var errorDescription: String? { "shapes [2, 3] and <4> do not match" }
        }
        let failing = Workbook(title: "98 · Failing", commandName: "98-Failing")
        failing.step("Fine") { ctx in ctx.print("one") }
        failing.step("Throws") { _ in throw Broken() }
        failing.step("Never runs") { ctx in ctx.print("unreachable") }
        let err = TextBuffer()
        #expect(failing.run(arguments: [], console: Console(out: TextBuffer(), err: err), pageFolder: folder) == 1)
        let failed = try String(contentsOf: folder.appendingPathComponent("98-Failing.html"), encoding: .utf8)
        #expect(failed.contains("stopped with an error in step 2 of 3"))
        #expect(failed.contains("<pre class=\"error\">shapes [2, 3] and &lt;4&gt; do not match</pre>"))
        #expect(!failed.contains("Never runs"), "steps that did not run are not shown")

        let stopping = Workbook(title: "97 · Stopping", commandName: "97-Stopping")
        stopping.step("First") { ctx in ctx.print("one") }
        stopping.step("Second") { ctx in ctx.print("two") }
        let console = Console(out: TextBuffer(), input: ["q"], isInteractive: true)
        #expect(stopping.run(arguments: [], console: console, pageFolder: folder) == 0)
        let stopped = try String(contentsOf: folder.appendingPathComponent("97-Stopping.html"), encoding: .utf8)
        #expect(stopped.contains("Stopped after step 1 of 2"))
        #expect(!stopped.contains("Second"))

        #expect(stopping.run(arguments: ["--from", "2"], console: Console(out: TextBuffer()), pageFolder: folder) == 0)
        let later = try String(contentsOf: folder.appendingPathComponent("97-Stopping.html"), encoding: .utf8)
        #expect(later.contains("Step 1 ran without output (--from 2).") && later.contains("Second"))
        #expect(!later.contains("<h2><span class=\"step-number\">1/2"), "a quiet step is not on the page")
    }

    @Test func noHTMLWritesNoPage() {
        let folder = scratchFolder("notebook-none")
        defer { try? FileManager.default.removeItem(at: folder) }
        let book = Workbook(title: "96 · Quiet", commandName: "96-Quiet")
        book.step("One") { ctx in ctx.print("one") }
        #expect(book.run(arguments: ["--no-html"], console: Console(out: TextBuffer()), pageFolder: folder) == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("96-Quiet.html").path))
    }

    /// A folder that cannot be made (its parent is a file) costs one warning line; the chapter runs
    /// and its page goes to a folder that can be written.
    @Test func anUnwritableFolderIsOneWarning() throws {
        let parent = scratchFolder("notebook-file")
        defer { try? FileManager.default.removeItem(at: parent) }
        try Data("not a folder".utf8).write(to: parent)
        let book = Workbook(title: "95 · Unwritable", commandName: "95-Unwritable")
        var ran = false
        book.step("Runs anyway") { _ in ran = true }
        let out = TextBuffer(), err = TextBuffer()
        let status = book.run(
            arguments: [], console: Console(out: out, err: err), pageFolder: parent.appendingPathComponent("out"))
        #expect(status == 0 && ran)
        let lines = err.text.split(separator: "\n")
        #expect(lines.count == 1, "\(err.text)")
        #expect(err.text.contains("\(parent.path)/out cannot be written (Not a directory)"), "\(err.text)")
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-95-Unwritable")
        #expect(err.text.contains("this run's page go to \(elsewhere.path) instead"))
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("95-Unwritable.html").path))
        #expect(OutputFolder.fallback == nil, "a caller's own folder leaves the process's output alone")
    }

    /// Each run updates the folder's index: every chapter run there, linked, in chapter order, with
    /// its summary, its final metrics and how it ended.
    @Test func theIndexListsEveryRunInTheFolder() throws {
        let folder = scratchFolder("notebook-index")
        defer { try? FileManager.default.removeItem(at: folder) }
        let second = Workbook(title: "92 · Trains <fast>", about: "Fits `one` epoch.", commandName: "92-Trains")
        second.step("Fit") { _ in
            OutputRecording.current?.beginTable(["epoch", "training", "loss", "accuracy", "time"])
            OutputRecording.current?.row(["0", "true", "2.3000", "0.1000", "0.1 s"])
            OutputRecording.current?.row(["0", "false", "2.2000", "0.2000", "0.0 s"])
        }
        // A later table that is not one of results (06's timeline): the index passes over it.
        second.step("Timeline") { ctx in ctx.table(["event", "callback", "changed"], [["afterFit", "A", "—"]]) }
        let first = Workbook(title: "91 · Fails", commandName: "91-Fails")
        first.step("Throws") { _ in throw SourceError(file: "x.swift", message: "broken") }
        #expect(second.run(arguments: [], console: Console(out: TextBuffer()), pageFolder: folder) == 0)
        #expect(first.run(arguments: [], console: Console(out: TextBuffer()), pageFolder: folder) == 1)
        try Data("{\"not\": \"a summary\"}".utf8).write(to: folder.appendingPathComponent("other.json"))

        let summaries = NotebookIndex.summaries(in: folder)
        #expect(summaries.map(\.name) == ["91-Fails", "92-Trains"], "in chapter order; other JSON passed over")
        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<a href=\"92-Trains.html\">92 · Trains &lt;fast&gt;</a>"))
        #expect(html.contains("<p>Fits <code>one</code> epoch.</p>"))
        #expect(html.contains("final validation: loss 2.2000, accuracy 0.2000 (epoch 0)"))
        #expect(!html.contains("afterFit"), "the timeline's last row is not the run's result")
        #expect(html.contains("<li class=\"run unfinished\">") && html.contains("error in step 1: x.swift: broken"))
    }

    /// `ctx.table`: aligned columns in the terminal, an HTML table on the page.
    @Test func aTableGoesToBoth() throws {
        let folder = scratchFolder("notebook-table")
        defer { try? FileManager.default.removeItem(at: folder) }
        let book = Workbook(title: "93 · Table", commandName: "93-Table")
        book.step("Table") { ctx in
            ctx.table(["event", "callback", "changed"], [["beforeFit", "A", "—"], ["afterBatch", "Longer", "x +1"]])
        }
        let out = TextBuffer()
        #expect(book.run(arguments: [], console: Console(out: out), pageFolder: folder) == 0)
        #expect(
            out.text.contains(
                "event       callback  changed\nbeforeFit   A         —\nafterBatch  Longer    x +1\n"), "\(out.text)")
        let html = try String(contentsOf: folder.appendingPathComponent("93-Table.html"), encoding: .utf8)
        #expect(html.contains("<tr><td>afterBatch</td><td>Longer</td><td>x +1</td></tr>"))
        #expect(!html.contains("<pre class=\"output\">event"), "the table is not also text on the page")
    }

    /// The page is written after every step, so a run that is killed still leaves one, saying so.
    @Test func thePageGrowsStepByStep() throws {
        let folder = scratchFolder("notebook-grows")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("94-Growing.html")
        let book = Workbook(title: "94 · Growing", commandName: "94-Growing")
        var during = ""
        book.step("First") { ctx in ctx.print("one") }
        book.step("Second") { _ in during = (try? String(contentsOf: page, encoding: .utf8)) ?? "" }
        #expect(book.run(arguments: [], console: Console(out: TextBuffer()), pageFolder: folder) == 0)
        #expect(during.contains("<pre class=\"output\">one\n</pre>"))
        #expect(during.contains("still going when this page was last written, after step 1 of 2"))
        let after = try String(contentsOf: page, encoding: .utf8)
        #expect(after.contains("Done: 2 steps") && !after.contains("still going"))
    }
}
