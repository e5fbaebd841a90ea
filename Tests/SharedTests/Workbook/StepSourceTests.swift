import Foundation
import Testing

@testable import Shared
@testable import Support
@testable import Workbook

/// Cutting steps' closures and definitions out of source text: brackets inside strings and comments
/// must not count, and every failure must name the file.
@Suite struct StepSourceTests {
    @Test func cutsTheTrailingClosureOfTheCallAtALine() throws {
        let source = """
            import Shared
            book.step(
                "Tricky",
                explain: "a } in a string, a { too " + #"raw "} "# + \"\"\"
                    multi-line }
                    \"\"\"
            ) { ctx in
                // a comment with a } brace
                let s = "interpolated \\(["}": 1].count) }"
                /* nested /* } */ } */
                if s.isEmpty {
                    ctx.print(s)
                }
            }
            book.step("Next") { ctx in ctx.print(2) }
            book.step("Empty") { _ in }
            """
        let body = try StepSource.closureBody(source: source, line: 2)
        #expect(
            body == """
                // a comment with a } brace
                let s = "interpolated \\(["}": 1].count) }"
                /* nested /* } */ } */
                if s.isEmpty {
                    ctx.print(s)
                }
                """)
        #expect(try StepSource.closureBody(source: source, line: 15) == "ctx.print(2)")
        #expect(try StepSource.closureBody(source: source, line: 16) == "")
    }

    @Test func failuresNameTheFile() {
        #expect(throws: SourceError.self) {
            try StepSource.closureBody(file: "/nonexistent/Chapters/99/main.swift", line: 1)
        }
        do {
            _ = try StepSource.closureBody(file: "/nonexistent/Chapters/99/main.swift", line: 1)
        } catch {
            #expect(error.localizedDescription.contains("/nonexistent/Chapters/99/main.swift"))
            #expect(error.localizedDescription.contains("does not exist"))
        }
        let noClosure = "book.step(\"x\", { ctx in })\n"
        #expect(
            throws: SourceError(
                file: "m.swift", line: 1,
                message: "the step's work must be a trailing closure: `book.step(…) { ctx in … }`")
        ) {
            try StepSource.closureBody(source: noClosure, file: "m.swift", line: 1)
        }
        #expect(throws: SourceError.self) {
            try StepSource.closureBody(source: "book.step(\"x\") { ctx in\n", file: "m.swift", line: 1)
        }
        #expect(throws: SourceError.self) {
            try StepSource.closureBody(source: "let a = 1\n", file: "m.swift", line: 7)
        }
    }

    /// A workbook whose step's source is gone stops before running any step, naming the file.
    @Test func aWorkbookWithoutItsSourceStopsBeforeRunning() {
        let book = Workbook(title: "99 · Sample", commandName: "99-Sample")
        var ran = false
        book.step("One", file: "/nonexistent/main.swift", line: 3) { _ in ran = true }
        let out = TextBuffer(), err = TextBuffer()
        #expect(book.run(arguments: [], console: Console(out: out, err: err)) == 1)
        #expect(!ran)
        #expect(err.text.contains("/nonexistent/main.swift"), "\(err.text)")
    }

    @Test func findsDefinitionsByNameWithTheirDocComments() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("library-source-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("Shared/05-Sample")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("Sample.swift")
        try """
        /// A typealias nested in a type must not win over a top-level one.
        struct Holder {
            typealias Batch = Int
        }

        /// One batch.
        public typealias Batch = (x: Int, y: Int)

        /// The learner.
        @available(*, deprecated)
        public final class Learner {
            let s = "}"
            /// Fits.
            public func fit(_ n: Int) {
                if n > 0 { print("{") }
            }

            public init() {}
        }

        extension Learner {
            func helper() {}
        }

        public prefix func ~ (mask: [Bool]) -> [Bool] { mask.map { !$0 } }
        """.write(to: file, atomically: true, encoding: .utf8)
        let library = LibrarySource(root: root)

        let learner = try library.find("Learner")
        #expect(learner.displayPath == "Shared/05-Sample/Sample.swift")
        #expect((learner.firstLine, learner.lastLine) == (9, 19))
        #expect(learner.text.hasPrefix("/// The learner.\n@available(*, deprecated)\npublic final class Learner {"))
        #expect(learner.text.hasSuffix("    public init() {}\n}"))

        let fit = try library.find("Learner.fit")
        #expect((fit.firstLine, fit.lastLine) == (13, 16))
        #expect(try library.find("Learner.init").firstLine == 18)
        #expect(try library.find("Learner.helper").firstLine == 22)
        #expect(try library.find("Batch").firstLine == 6, "top level beats nested")
        #expect(try library.find("~").text.contains("prefix func ~"))

        #expect(throws: SourceError.self) { try library.find("Learner.fitt") }
        #expect(throws: SourceError.self) { try library.find("Nothing") }

        // Read as the file is now: an edit shows in the next lookup (a new run).
        try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "/// Fits.", with: "/// Fits, edited.")
            .write(to: file, atomically: true, encoding: .utf8)
        #expect(try LibrarySource(root: root).find("Learner.fit").text.hasPrefix("    /// Fits, edited."))
    }

    @Test func aLibraryThatIsNotThereIsNamed() {
        do {
            _ = try LibrarySource(root: URL(fileURLWithPath: "/nonexistent")).find("Learner")
            Issue.record("expected an error")
        } catch {
            #expect(error.localizedDescription.contains("/nonexistent/Shared"), "\(error)")
        }
    }

    @Test func showsDefinitionsWithFileAndLinesBeforeTheCode() throws {
        let book = Workbook(title: "99 · Sample", commandName: "99-Sample")
        book.step("Shows the runner", showing: ["Workbook.describe"]) { ctx in
            ctx.print("ran")
        }
        let out = TextBuffer()
        #expect(book.run(arguments: [], console: Console(out: out)) == 0)
        #expect(out.text.contains("┌ Shared/Workbook/Workbook.swift, lines "), "\(out.text)")
        #expect(out.text.contains(" (Workbook.describe)\n"), "a member is named in its header")
        #expect(out.text.contains("│ package static func describe(_ error: Error) -> String {"))
        #expect(out.text.contains("\n› ctx.print(\"ran\")\nran\n"))
    }
}
