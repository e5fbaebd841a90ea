import Foundation

/// How the tool builds the workbook's programs: where (`.build`, or `$WORKBOOK_SCRATCH` for `make
/// test`'s own folder, with the integrated driver), and with which environment for the manifest.
public struct WorkbookBuild {
    public let root: URL
    /// The build folder, relative to the workbook.
    public let scratch: String

    public init(root: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.root = root
        scratch = environment["WORKBOOK_SCRATCH"].flatMap { $0.isEmpty ? nil : $0 } ?? ".build"
    }

    /// The flags every `swift build` of the tool takes.
    public var flags: [String] {
        scratch == ".build" ? [] : ["--scratch-path", scratch, "--use-integrated-swift-driver"]
    }

    /// Where the debug programs are.
    public var binaries: URL { root.appendingPathComponent("\(scratch)/debug") }

    /// The environment the manifest reads: the learner's answers compiled or not, and the layout.
    public func environment(learnersAnswers: Bool) -> [String: String] {
        ["WORKBOOK_EXERCISES": learnersAnswers ? "1" : "0", "WORKBOOK_LAYOUT": Self.layout(of: root)]
    }

    /// Variables that change from one call to the next but mean nothing to the manifest. SwiftPM plans
    /// the package again, seconds of work, whenever the environment differs from the last build's, so
    /// the tool leaves them out: `make exercise`, `make watch` and the tool run alone share one plan.
    public static let volatile: Set<String> = [
        "_", "SHLVL", "OLDPWD", "COLUMNS", "LINES", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES",
        "MAKE_TERMOUT", "MAKE_TERMERR", "WORKBOOK_WATCHING", "WORKBOOK_STYLED", "WORKBOOK_VERDICT",
        "WORKBOOK_RECORD_TIMINGS", "WORKBOOK_MEMORY", "WORKBOOK_PROCESSES", "WORKBOOK_WRITES", "WORKBOOK_CPU",
        "WORKBOOK_OUTPUT"
    ]

    /// Runs `swift <arguments>` with the manifest's environment; its output into `log` when given.
    public func swift(_ arguments: [String], learnersAnswers: Bool, log: String? = nil) -> Int32 {
        Subprocess.run(
            ["swift"] + arguments, environment: environment(learnersAnswers: learnersAnswers), unset: Self.volatile,
            output: log, in: root)
    }

    /// Builds `product` (every product when nil), its log into `log`; true when it built.
    public func build(_ product: String?, learnersAnswers: Bool, log: String) -> Bool {
        swift(["build"] + flags + (product.map { ["--product", $0] } ?? []), learnersAnswers: learnersAnswers, log: log)
            == 0
    }

    /// The folders the manifest finds exercises and applied wrong answers in, two levels deep, sorted
    /// and joined as the Makefile's `$(sort $(wildcard …/*/ …/*/*/))` joins them. SwiftPM caches the
    /// manifest by its environment, so a new folder must change it; the two must agree, or each
    /// alternation between `make` and the tool would plan the package again.
    public static func layout(of root: URL) -> String {
        let bases = ["Exercises", "Solutions", "Tests/ExerciseChecks", ".build/wrong-answers"]
        var paths: [String] = []
        for base in bases {
            for first in ExerciseCatalog.folders(in: root.appendingPathComponent(base)) {
                paths.append("\(base)/\(first)/")
                for second in ExerciseCatalog.folders(in: root.appendingPathComponent("\(base)/\(first)")) {
                    paths.append("\(base)/\(first)/\(second)/")
                }
            }
        }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: " ")
    }
}

/// Where the learner stands, kept in the build folder: each exercise's last verdict, and how many of
/// its hints were shown.
public struct ExerciseProgress {
    let folder: URL

    public init(build: WorkbookBuild) {
        folder = build.root.appendingPathComponent("\(build.scratch)/exercise-status")
    }

    /// "solved", "failing", or nil when never checked.
    public func lastVerdict(_ exercise: Exercise) -> String? { read(exercise.number) }

    public func record(_ exercise: Exercise, solved: Bool) { write(exercise.number, solved ? "solved" : "failing") }

    public func hintsShown(_ exercise: Exercise) -> Int { read(exercise.number + ".hints").flatMap { Int($0) } ?? 0 }

    public func setHintsShown(_ exercise: Exercise, _ count: Int?) {
        if let count {
            write(exercise.number + ".hints", String(count))
        } else {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(exercise.number + ".hints"))
        }
    }

    private func read(_ name: String) -> String? {
        (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func write(_ name: String, _ value: String) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? (value + "\n").write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}
