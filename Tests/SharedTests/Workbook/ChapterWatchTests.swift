import Foundation
import Testing

@testable import Workbook

/// What `--watch` decides without running anything: where a run starts again after an edit, what it
/// passes on to the run, which lines of a build it shows, and the page that reloads itself.
@Suite struct ChapterWatchTests {
    private func snapshot(
        outside: String = "let book = Workbook(title: \"T\")\n<step>\n<step>\n<step>\nbook.run()",
        calls: [String] = [
            "book.step(\"A\") { ctx in a() }", "book.step(\"B\") { ctx in b() }", "book.step(\"C\") { ctx in c() }"
        ],
        shared: [String: Data] = ["/p/Shared/05-Learner/Learner.swift": Data("class Learner {}".utf8)]
    ) -> ChapterWatch.Snapshot {
        ChapterWatch.Snapshot(outside: outside, calls: calls, titles: ["A", "B", "C"], shared: shared)
    }

    @Test func anEditedStepRunsAgainFromThere() throws {
        var edited = snapshot()
        edited.calls[1] = "book.step(\"B\") { ctx in b(); print(1) }"
        let (from, why) = try #require(ChapterWatch.firstChange(from: snapshot(), to: edited, owed: nil))
        #expect(from == 2)
        #expect(why == "Step 2, “B”, changed:")
        #expect(ChapterWatch.describeRun(from: from, count: 3) == "running steps 2–3 (step 1 quietly).")
        #expect(ChapterWatch.describeRun(from: 3, count: 3) == "running step 3 (1–2 quietly).")
    }

    @Test func aChangeOutsideTheStepsOrInSharedRunsEveryStep() throws {
        var outside = snapshot()
        outside.outside = outside.outside.replacingOccurrences(of: "book.run()", with: "var model = 1\nbook.run()")
        outside.calls[2] = "book.step(\"C\") { ctx in c(2) }"
        #expect(ChapterWatch.firstChange(from: snapshot(), to: outside, owed: nil)?.0 == 1)

        let shared = snapshot(shared: ["/p/Shared/05-Learner/Learner.swift": Data("class Learner { }".utf8)])
        #expect(ChapterWatch.firstChange(from: snapshot(), to: shared, owed: nil)?.0 == 1)
        let newFile = snapshot(
            shared: snapshot().shared.merging(["/p/Shared/05-Learner/More.swift": Data()]) { $1 })
        #expect(ChapterWatch.firstChange(from: snapshot(), to: newFile, owed: nil)?.0 == 1)
    }

    @Test func addedAndRemovedStepsCount() throws {
        var added = snapshot()
        added.calls.append("book.step(\"D\") { ctx in d() }")
        added.titles.append("D")
        #expect(ChapterWatch.firstChange(from: snapshot(), to: added, owed: nil)?.0 == 4)
        var removed = snapshot()
        removed.calls.removeLast()
        removed.titles.removeLast()
        #expect(ChapterWatch.firstChange(from: snapshot(), to: removed, owed: nil)?.0 == 2)
    }

    @Test func nothingChangedRunsNothingUnlessARunWasCutShort() throws {
        #expect(ChapterWatch.firstChange(from: snapshot(), to: snapshot(), owed: nil) == nil)
        #expect(ChapterWatch.firstChange(from: snapshot(), to: snapshot(), owed: 2)?.0 == 2)
        var edited = snapshot()
        edited.calls[2] = "book.step(\"C\") { ctx in c(2) }"
        #expect(ChapterWatch.firstChange(from: snapshot(), to: edited, owed: 2)?.0 == 2)
        // The first run starts where the command line says.
        #expect(ChapterWatch.firstChange(from: nil, to: snapshot(), owed: 3)?.0 == 3)
    }

    @Test func theRunsGetTheFlagsButTheWatchsOwn() {
        #expect(
            ChapterWatch.runArguments(["--quick", "--watch", "--from", "3", "--lr", "0.2", "--no-pause", "--from=2"])
                == ["--quick", "--lr", "0.2"])
    }

    @Test func aFailedBuildShowsEachCompilerMessageOnce() {
        let log = """
            Building for debugging...
            [1/4] Compiling 07_Scheduling main.swift
            error: emit-module command failed with exit code 1 (use -v to see invocation)
            /p/Chapters/07-Scheduling/main.swift:103:1: error: expected ')' in expression list
            102 |     ctx.print("x"
                |              `- note: to match this opening '('
            /p/Chapters/07-Scheduling/main.swift:103:1: error: expected ')' in expression list
            102 |     ctx.print("x"
                |              `- note: to match this opening '('

            [2/4] Emitting module 07_Scheduling
            """
        #expect(
            ChapterWatch.compilerMessages(log) == """
                /p/Chapters/07-Scheduling/main.swift:103:1: error: expected ')' in expression list
                102 |     ctx.print("x"
                    |              `- note: to match this opening '('
                """)
    }

    @Test func theLivePageReloadsUntilTheWatchEnds() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "live-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = RunRecord(title: "07 · Scheduling", about: "", name: "07-Scheduling", facts: "", stepCount: 1)
        let page = try LivePage.write(record, to: folder)
        let sidecar = folder.appendingPathComponent("07-Scheduling.live.js")
        let html = try String(contentsOf: page, encoding: .utf8)
        let token = try String(contentsOf: sidecar, encoding: .utf8)
        #expect(html.contains("<script id=\"workbook-live\">") && html.contains("07-Scheduling.live.js?"))
        // The page knows the token that the file beside it names, until the page is written again.
        let mine = try #require(html.firstMatch(of: #/var mine = "([^"]+)"/#)?.1)
        #expect(token == "workbookLive(\"\(mine)\");\n")
        try LivePage.write(record, to: folder)
        #expect(try String(contentsOf: sidecar, encoding: .utf8) != token)

        try LivePage.end(name: "07-Scheduling", in: folder)
        #expect(try String(contentsOf: page, encoding: .utf8) == NotebookPage.html(record))
        #expect(!FileManager.default.fileExists(atPath: sidecar.path))
    }
}
