import Testing

@testable import Media
@testable import Shared
@testable import Support
@testable import Workbook

/// Builds a three-step chapter whose steps share `log`, the way chapter steps share `main.swift`'s
/// variables.
private func sampleBook() -> (Workbook, () -> [String]) {
    let book = Workbook(
        title: "99 · Sample", about: "A chapter for tests.", epochs: 3, lr: 0.05,
        commandName: "99-Sample")
    var log: [String] = []
    var total = 0
    book.step("Make a number", explain: "Sets up state that the next steps use.") { ctx in
        total = 40
        log.append("1")
        ctx.print("total is", total)
    }
    book.step("Add two", explain: "Uses the state from step 1.") { ctx in
        total += 2
        log.append("2")
        ctx.print("total is now", total)
    }
    book.step("Settings") { ctx in
        log.append("3")
        ctx.print(
            "epochs=\(ctx.epochs) lr=\(ctx.lr) quick=\(ctx.quick) device=\(ctx.device) data=\(ctx.data ?? "none")")
        ctx.print("total at the end", total)
    }
    return (book, { log })
}

@Suite struct WorkbookTests {
    @Test func parsesFlagsIntoSettings() throws {
        let (book, _) = sampleBook()
        let command = try book.parse([
            "--data", "/tmp/x", "--epochs", "5", "--lr", "0.2", "--quick",
            "--device", "cpu", "--from", "2", "--no-pause"
        ]).get()
        #expect(command.data == "/tmp/x")
        #expect(command.epochs == 5)
        #expect(command.lr == 0.2)
        #expect(command.quick && command.noPause && !command.list)
        #expect(command.from == 2)
        #expect(command.device == .cpu)

        let defaults = try book.parse([]).get()
        #expect(defaults.epochs == 3 && defaults.lr == 0.05 && defaults.from == 1 && !defaults.quick)
    }

    @Test func rejectsBadFlags() {
        let (book, log) = sampleBook()
        for bad in [["--epochs", "0"], ["--lr", "-1"], ["--from", "4"], ["--device", "tpu"], ["--bogus"]] {
            let out = TextBuffer()
            let status = book.run(arguments: bad, console: Console(out: out))
            #expect(status != 0, "\(bad)")
            #expect(out.text.hasPrefix("error: "), "\(bad): \(out.text)")
        }
        #expect(log().isEmpty)
    }

    @Test func helpShowsChapterDefaults() {
        let (book, _) = sampleBook()
        let out = TextBuffer()
        #expect(book.run(arguments: ["--help"], console: Console(out: out)) == 0)
        #expect(out.text.contains("99 · Sample"))
        #expect(out.text.contains("--epochs <n>"))
        #expect(out.text.contains("default: 3"))
        #expect(out.text.contains("--no-pause"))
        #expect(out.text.contains("3 numbered steps"))
    }

    @Test func helpRewrapsTheAboutTextAsParagraphs() throws {
        // Written hard-wrapped, as every chapter's `about` is; the breaks are the source's, not the text's.
        let about = """
            The first paragraph is long enough that its source was hard-wrapped
            in the middle of a sentence, which sweeps
            it upwards.

            A second paragraph.
            """
        let book = Workbook(title: "99 · Sample", about: about, commandName: "99-Sample")
        for width in [40, 80, 120] {
            let out = TextBuffer()
            #expect(book.run(arguments: ["--help"], console: Console(out: out, width: width)) == 0)
            let lines = out.text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = try #require(lines.firstIndex { $0.contains("The first paragraph") })
            let second = try #require(lines.firstIndex { $0.contains("A second paragraph.") })
            #expect(lines[second - 1].allSatisfy { $0 == " " }, "the paragraph break stays")
            // Each row of a paragraph is as full as the width allows: the next row's first word
            // would not have fitted on it (argument-parser leaves the last column empty).
            let paragraph = lines[first..<(second - 1)]
            for row in paragraph { #expect(row.count <= width, "width \(width): \(row)") }
            #expect(
                paragraph.map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: " ")
                    == about.split(separator: "\n\n")[0].split(whereSeparator: \.isWhitespace).joined(separator: " "))
            for (row, next) in zip(paragraph, paragraph.dropFirst()) {
                let word = next.split(separator: " ")[0]
                #expect(row.count + 1 + word.count > width - 1, "width \(width): '\(row)' could have taken '\(word)'")
            }
        }
    }

    @Test func listsStepsWithoutRunningThem() {
        let (book, log) = sampleBook()
        let out = TextBuffer()
        #expect(book.run(arguments: ["--list"], console: Console(out: out)) == 0)
        #expect(out.text == "99 · Sample\n  1  Make a number\n  2  Add two\n  3  Settings\n")
        #expect(log().isEmpty)
    }

    @Test func runsStraightThroughWhenNotInteractive() {
        let (book, log) = sampleBook()
        let out = TextBuffer()
        #expect(book.run(arguments: [], console: Console(out: out)) == 0)
        #expect(log() == ["1", "2", "3"])
        let text = out.text
        #expect(text.contains("── 1/3 · Make a number ─"))
        #expect(
            text.contains(
                "Sets up state that the next steps use.\n\n› total = 40\n  log.append(\"1\")\n"
                    + "  ctx.print(\"total is\", total)\ntotal is 40\n"))
        #expect(text.contains("epochs=3 lr=0.05 quick=false device=cpu data=none"))
        #expect(text.contains("total at the end 42"))
        #expect(!text.contains("⏎"))
        #expect(!text.contains("\u{1B}["), "no colours on a non-terminal console")
        #expect(text.hasSuffix("Done: 3 steps.\n"))
    }

    @Test func fromRunsEarlierStepsQuietly() {
        let (book, log) = sampleBook()
        let out = TextBuffer()
        #expect(book.run(arguments: ["--from", "3", "--epochs", "7", "--quick"], console: Console(out: out)) == 0)
        #expect(log() == ["1", "2", "3"], "earlier steps still run")
        #expect(!out.text.contains("Make a number"))
        #expect(!out.text.contains("total is"))
        #expect(out.text.contains("Running steps 1–2 quietly"))
        #expect(out.text.contains("total at the end 42"))
        #expect(out.text.contains("epochs=7 lr=0.05 quick=true"))
    }

    @Test func pausesInATerminalAndQuitsOnQ() {
        let (book, log) = sampleBook()
        let out = TextBuffer()
        let console = Console(out: out, input: ["", "q"], isInteractive: true)
        #expect(book.run(arguments: [], console: console) == 0)
        #expect(log() == ["1", "2"])
        #expect(out.text.components(separatedBy: "⏎ next step").count == 3)
        #expect(out.text.contains("Stopped after step 2 of 3. Pick up again with --from 3."))
    }

    @Test func noPauseRunsStraightThroughInATerminal() {
        let (book, log) = sampleBook()
        let out = TextBuffer()
        let console = Console(out: out, input: ["q"], isInteractive: true, colors: true)
        #expect(book.run(arguments: ["--no-pause"], console: console) == 0)
        #expect(log() == ["1", "2", "3"])
        #expect(!out.text.contains("⏎"))
        #expect(out.text.contains("\u{1B}[36mtotal = 40\u{1B}[0m"), "code is coloured on a colour terminal")
    }

    @Test func aThrowingStepReportsAnErrorAndExitsOne() {
        struct Broken: Error, CustomStringConvertible { var description: String { "the file /x/y.jpg is not a JPEG" } }
        let book = Workbook(title: "Broken", commandName: "broken")
        var ranAfter = false
        book.step("Fine") { ctx in ctx.print("fine") }
        book.step("Fails") { _ in throw Broken() }
        book.step("Never") { _ in ranAfter = true }
        let out = TextBuffer(), err = TextBuffer()
        #expect(book.run(arguments: [], console: Console(out: out, err: err)) == 1)
        #expect(!ranAfter)
        #expect(out.text.contains("fine"))
        #expect(err.text.hasPrefix("error: the file /x/y.jpg is not a JPEG\n"))
        #expect(err.text.contains("step 2, “Fails”"))
    }

    @Test func gpuFallsBackToCPUWithAMessage() {
        let (book, _) = sampleBook()
        let saved = Workbook.gpuUnavailableReason
        defer { Workbook.gpuUnavailableReason = saved }
        Workbook.gpuUnavailableReason = { "no OpenCL device" }
        let out = TextBuffer(), err = TextBuffer()
        #expect(book.run(arguments: ["--device", "gpu"], console: Console(out: out, err: err)) == 0)
        #expect(err.text.contains("warning: --device gpu: no OpenCL device; running on the CPU instead."))
        #expect(out.text.contains("device=cpu"))

        Workbook.gpuUnavailableReason = { nil }
        let out2 = TextBuffer()
        #expect(book.run(arguments: ["--device", "gpu"], console: Console(out: out2)) == 0)
        #expect(out2.text.contains("device=gpu"))
    }

    @Test func wrapsProseToWidth() {
        let text = """
            The quick brown fox jumps over
            the lazy dog again and again.

            - first item that is long enough to wrap
            - second
            """
        let wrapped = wrapText(text, width: 20)
        #expect(
            wrapped == """
                The quick brown fox
                jumps over the lazy
                dog again and again.

                - first item that is
                  long enough to
                  wrap
                - second
                """)
        for line in wrapped.split(separator: "\n") { #expect(line.count <= 20) }
        #expect(
            unwrapText(text) == """
                The quick brown fox jumps over the lazy dog again and again.

                - first item that is long enough to wrap
                - second
                """)
    }
}
