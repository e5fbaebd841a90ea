import ArgumentParser
import ExerciseTool
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `make test`'s run of the test bundle: the chapter tests beside the rest, one core each.
struct SuiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite",
        abstract: "Run the built test bundle: the chapter tests and the rest side by side (make test).",
        discussion: """
            The chapters' programs run one at a time in a sandbox folder of their own, the rest one test \
            at a time (the memory tests measure their own process, so nothing else may run inside it). \
            The library's results come as they happen, the chapters' once they are done.
            """)

    func run() throws {
        let context = try Context()
        let bundle = context.build.binaries.appendingPathComponent("LearnerFromScratchPackageTests.xctest").path
        guard FileManager.default.isExecutableFile(atPath: bundle) else {
            print("✘ no test bundle at \(bundle): build it first (swift build --build-tests)")
            throw ExitCode(2)
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-chapters-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let common = ["--testing-library", "swift-testing", "--no-parallel"]
        guard
            let chapters = Subprocess.spawn(
                bundle, common + ["--filter", "ChapterTests"], environment: [:], output: log, ownGroup: false)
        else {
            print("✘ could not start \(bundle)")
            throw ExitCode(2)
        }
        let library = Subprocess.run([bundle] + common + ["--skip", "ChapterTests"])
        var status: Int32 = 0
        waitpid(chapters, &status, 0)
        print("\n── The chapter tests (run beside the library's):")
        print((try? String(contentsOfFile: log, encoding: .utf8)) ?? "", terminator: "")
        let chaptersPassed = status & 0x7f == 0 && (status >> 8) & 0xff == 0
        if library != 0 || !chaptersPassed { throw ExitCode(1) }
    }
}

/// The layout the manifest is told of (`WORKBOOK_LAYOUT`), for `make test` to build with after the
/// known-wrong answers are laid out.
struct LayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout", abstract: "Print the folders the manifest finds, as WORKBOOK_LAYOUT.",
        shouldDisplay: false)

    func run() throws {
        print(WorkbookBuild.layout(of: try Context().catalog.root))
    }
}
