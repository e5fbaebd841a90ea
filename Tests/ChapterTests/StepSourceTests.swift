import Foundation
import Shared
import Testing

/// What each chapter shows is what runs: for every step of every chapter, the code the runner shows
/// (read with `--steps-json`) is compared with the step's closure cut out of `main.swift` here, its
/// lines taken as laid out rather than between the braces; every definition shown is compared with the lines of
/// the file it names; and the definitions the chapter is about are all shown somewhere.
@Suite("Step sources", .serialized)
struct StepSourceTests {
    /// Every chapter in Chapters/, so a new one is checked as soon as it exists.
    static let chapters: [String] = {
        let folder = root.appendingPathComponent("Chapters").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(folder)/\($0)/main.swift") }.sorted()
    }()

    /// The definitions the chapter introduces, which a learner must be able to read in some step.
    static let expectedDefinitions: Set<String> = [
        "Dataset", "ImageDataset", "collate", "DataLoader.init", "DataLoader.count", "DataLoader.nextChunks",
        "batchStats", "Normalize", "tfmX", "Parameter", "Module", "ConvLayer", "Linear", "Sequential",
        "AdaptivePool", "simpleCNN", "printStats", "nll", "logSoftmaxNaive", "logSoftmaxSubtract", "logSumExp",
        "logSoftmax", "crossEntropy", "Optimizer", "SGD", "DataLoaders", "Learner", "Event", "LearnerCallback",
        "CancelFitError", "Callback", "SetupLearnerCB", "TrackResults", "LRFinder", "OneCycle"
    ]

    /// The package's root, from this file's path: `<root>/Tests/ChapterTests/StepSourceTests.swift`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Shown: Decodable {
        var number: Int
        var title: String
        var file: String
        var line: Int
        var code: String
        var definitions: [Excerpt]
    }

    struct Excerpt: Decodable {
        var name: String
        var file: String
        var displayPath: String
        var firstLine: Int
        var lastLine: Int
        var text: String
    }

    static func shownSteps(_ chapter: String) throws -> [Shown] {
        let r = try ChapterRunner.run(chapter, ["--steps-json"])
        guard r.status == 0 else { throw ChapterRunner.RunnerError(message: "\(chapter) --steps-json: \(r.errors)") }
        return try JSONDecoder().decode([Shown].self, from: Data(r.output.utf8))
    }

    /// The steps in a chapter's source file: each `book.step(…) { … }` call (at any indentation:
    /// steps may be added inside a function in another file of the chapter) found with the workbook's
    /// Swift reader, and its closure's body taken by lines as swift format lays it out, unlike the
    /// runner, which cuts between the braces: the lines after the one that opens the closure
    /// (`{ ctx in`) up to the closing brace's, less one level of indentation; `{ _ in }` is empty.
    /// Also returns whether any step still passes a `code:` string.
    static func stepsInFile(_ text: String) -> (steps: [Int: String], codeStrings: Bool) {
        let source = SwiftSource(text)
        let tokens = source.tokens
        let lines = text.components(separatedBy: "\n")
        var steps: [Int: String] = [:]
        var codeStrings = false
        func next(_ index: Int, is mark: String) -> Int? {
            source.nextCodeToken(after: index).flatMap { tokens[$0].text == mark ? $0 : nil }
        }
        for (index, book) in tokens.enumerated() where book.kind == .identifier && book.text == "book" {
            guard let dot = next(index, is: "."), let step = next(dot, is: "step"), let paren = next(step, is: "("),
                let close = source.partner(of: paren), let brace = next(close, is: "{"),
                let end = source.partner(of: brace)
            else { continue }
            codeStrings =
                codeStrings
                || (paren..<close).contains { tokens[$0].text == "code" && next($0, is: ":") != nil }
            let (open, closing) = (tokens[brace].line, tokens[end].line)
            guard open < closing else {
                steps[book.line] = ""
                continue
            }
            let indent = String(lines[closing - 1].prefix { $0 == " " }) + "    "
            steps[book.line] = lines[open..<(closing - 1)].map {
                $0.hasPrefix(indent) ? String($0.dropFirst(indent.count)) : $0
            }.joined(separator: "\n")
        }
        return (steps, codeStrings)
    }

    @Test(arguments: chapters) func everyStepShowsTheCodeItRuns(chapter: String) throws {
        let folder = Self.root.appendingPathComponent("Chapters/\(chapter)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        let shown = try Self.shownSteps(chapter)
        var parsedCount = 0
        for name in files {
            let file = folder.appendingPathComponent(name).standardizedFileURL
            let parsed = Self.stepsInFile(try String(contentsOf: file, encoding: .utf8))
            #expect(!parsed.codeStrings, "\(chapter)/\(name): no step carries a code string any more")
            parsedCount += parsed.steps.count
            let fromFile = shown.filter { URL(fileURLWithPath: $0.file).standardizedFileURL == file }
            #expect(fromFile.count == parsed.steps.count, "\(chapter)/\(name): steps shown and in the file")
            for step in fromFile {
                #expect(
                    parsed.steps[step.line] != nil, "\(chapter) step \(step.number): no book.step( at line \(step.line)"
                )
                #expect(step.code == parsed.steps[step.line], "\(chapter) step \(step.number) “\(step.title)”")
            }
        }
        #expect(shown.count == parsedCount, "\(chapter): \(shown.count) steps shown, \(parsedCount) in its files")
        #expect(shown.count > 0)
    }

    @Test(arguments: chapters) func everyDefinitionShownIsTheFileAsItIs(chapter: String) throws {
        for step in try Self.shownSteps(chapter) {
            for excerpt in step.definitions {
                let lines = try String(contentsOfFile: excerpt.file, encoding: .utf8).components(separatedBy: "\n")
                #expect(
                    excerpt.firstLine >= 1 && excerpt.lastLine <= lines.count && excerpt.firstLine <= excerpt.lastLine)
                guard excerpt.firstLine >= 1, excerpt.lastLine <= lines.count else { continue }
                let fileText = lines[(excerpt.firstLine - 1)..<excerpt.lastLine].joined(separator: "\n")
                #expect(excerpt.text == fileText, "\(excerpt.name) in \(excerpt.displayPath)")
                #expect(excerpt.file.hasPrefix(Self.root.path + "/"), "\(excerpt.file) is in the package")
                #expect(excerpt.displayPath.hasPrefix("Shared/") || excerpt.displayPath.hasPrefix("Chapters/"))

                // The excerpt is the declaration: doc comment and attributes, then the line that
                // declares the name, and, when it has a body, its closing brace last.
                let body = excerpt.text.components(separatedBy: "\n")
                let declaration =
                    body.first { line in
                        let t = line.trimmingCharacters(in: .whitespaces)
                        return !t.hasPrefix("///") && !t.hasPrefix("@")
                    } ?? ""
                let member = String(excerpt.name.split(separator: ".").last ?? "")
                let escaped = NSRegularExpression.escapedPattern(for: member)
                let declares = try NSRegularExpression(
                    pattern:
                        "\\b(class|struct|enum|protocol|func|typealias|var|let|extension)\\s+\(escaped)([^A-Za-z0-9_]|$)"
                        + (member == "init" || member == "subscript" ? "|\\b\(member)[(<]" : ""))
                #expect(
                    declares.firstMatch(in: declaration, range: NSRange(declaration.startIndex..., in: declaration))
                        != nil, "\(excerpt.name): \(declaration)")
                if declaration.contains("{") && !declaration.hasSuffix("}") {
                    #expect(body.last?.trimmingCharacters(in: .whitespaces) == "}", "\(excerpt.name) ends at its brace")
                }
                if excerpt.name.contains(".") {
                    let type = String(excerpt.name.split(separator: ".")[0])
                    let above = lines[..<(excerpt.firstLine - 1)].joined(separator: "\n")
                    #expect(
                        above.range(
                            of: "(class|struct|enum|extension|protocol) \(type)\\b", options: .regularExpression)
                            != nil, "\(excerpt.name) is inside \(type)")
                }
            }
        }
    }

    @Test func allEightSectionsAreChecked() {
        #expect(
            Set(Self.chapters).isSuperset(of: [
                "00-Data", "01-Dataset", "02-Module", "03-SimpleCNN", "04-Loss", "05-Learner", "06-Callbacks",
                "07-Scheduling"
            ]), "\(Self.chapters)")
    }

    @Test func theChaptersDefinitionsAreAllShown() throws {
        var shown: Set<String> = []
        for chapter in Self.chapters {
            for step in try Self.shownSteps(chapter) { shown.formUnion(step.definitions.map(\.name)) }
        }
        let missing = Self.expectedDefinitions.subtracting(shown)
        #expect(missing.isEmpty, "never shown: \(missing.sorted())")
    }

    /// The runner really shows that code when it runs the chapter (not only in `--steps-json`).
    @Test func aRunShowsEachStepsCodeAndDefinitions() throws {
        let shown = try Self.shownSteps("04-Loss")
        let r = try ChapterRunner.run("04-Loss")
        #expect(r.status == 0, "\(r.errors)")
        for step in shown where !step.code.isEmpty {
            let lines = step.code.components(separatedBy: "\n")
            let printed = (["› " + lines[0]] + lines.dropFirst().map { "  " + $0 }).joined(separator: "\n")
            #expect(r.output.contains(printed + "\n"), "step \(step.number)")
        }
        for excerpt in shown.flatMap(\.definitions) {
            #expect(r.output.contains("┌ \(excerpt.displayPath), lines \(excerpt.firstLine)–\(excerpt.lastLine)"))
            // A member (`Tensor.graph`, inside its extension) is shown without the indentation its
            // lines share.
            let lines = excerpt.text.components(separatedBy: "\n")
            let indent = lines.filter { !$0.isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
            #expect(
                lines.allSatisfy { r.output.contains("│ " + $0.dropFirst(indent)) }, "\(excerpt.name)")
        }
    }

    /// The chapter checks' `printed(by:)` notices a run that does not show a step's code or
    /// definitions (here, output with neither), so every chapter test also checks what was shown.
    @Test func aRunThatShowsNoCodeIsCaught() throws {
        let bare = ChapterRunner.Result(status: 0, output: "crossEntropy(r, yb) = 2.3\n", errors: "")
        let steps = try Self.shownSteps("04-Loss")
        let shown = try bare.compareWithShownSteps(of: "04-Loss")
        let expected =
            steps.filter { !$0.code.isEmpty }.count + steps.map(\.definitions.count).reduce(0, +)
        #expect(shown.missing.count == expected, "\(shown.missing)")
        #expect(shown.missing.contains("04-Loss step 1 did not show its code"))
        #expect(shown.rest == "crossEntropy(r, yb) = 2.3\n")
    }

    /// The definitions are read when the chapter runs, not copied when it was built: a copy of the
    /// library's source with `Learner.fit` edited, given through `WORKBOOK_SOURCE`, shows the edit.
    @Test func anEditedDefinitionIsShownAsEdited() throws {
        let copy = ChapterRunner.sandbox.appendingPathComponent("source-copy")
        let manager = FileManager.default
        try? manager.removeItem(at: copy)
        try manager.createDirectory(at: copy, withIntermediateDirectories: true)
        try manager.copyItem(at: Self.root.appendingPathComponent("Shared"), to: copy.appendingPathComponent("Shared"))
        let learnerFile = copy.appendingPathComponent("Shared/05-Learner/Learner.swift")
        let original = try String(contentsOf: learnerFile, encoding: .utf8)
        let edited = original.replacingOccurrences(
            of: "    public func fit(", with: "    // A learner's note.\n    public func fit(")
        #expect(edited != original)
        try edited.write(to: learnerFile, atomically: true, encoding: .utf8)

        let r = try ChapterRunner.run("05-Learner", ["--steps-json"], environment: ["WORKBOOK_SOURCE": copy.path])
        #expect(r.status == 0, "\(r.errors)")
        let steps = try JSONDecoder().decode([Shown].self, from: Data(r.output.utf8))
        let learner = steps.flatMap(\.definitions).first { $0.name == "Learner" }
        #expect(learner?.text.contains("    // A learner's note.\n    public func fit(") == true)
        #expect(learner?.file == learnerFile.path)
        #expect(learner?.displayPath == "Shared/05-Learner/Learner.swift")
    }

    /// Without the library's source the chapter stops before running anything, naming the folder.
    @Test func aMissingLibrarySourceStopsTheChapterNamingTheFolder() throws {
        let r = try ChapterRunner.run(
            "05-Learner", ["--quick", "--no-pause"], environment: ["WORKBOOK_SOURCE": "/nonexistent"])
        #expect(r.status == 1)
        #expect(r.errors.contains("/nonexistent/Shared"), "\(r.errors)")
        #expect(!r.output.contains("── 1/"), "no step ran")
    }
}
