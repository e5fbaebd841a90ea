import AnswerRules
// `make grade SUBMISSIONS=DIR`: grades a whole class's answers, each learner's code in a sandbox.
import ArgumentParser
import Foundation

/// The command behind `make grade`.
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade every learner's answers in a folder of submissions.",
        discussion: """
            The folder holds one entry per learner, named after them: a copy of their Exercises/ folder, \
            a clone of the workbook, or a .tar.gz or .zip of either. Writes grades.csv and grades.html \
            into it.
            """)

    @Argument(help: "The folder of submissions.")
    var submissions: String

    @Option(help: "bwrap (the default) or none: run the learners' code as yourself, only for answers you trust.")
    var sandbox = "bwrap"

    @Option(help: "Only these exercises (numbers separated by commas).")
    var only: String?

    @Option(help: "Memory each answer's checks may use (default 2G).")
    var memory: String?

    @Option(help: "Processes and threads an answer may start (default 64).")
    var processes: String?

    @Option(help: "Bytes an answer may write, in one file and in its folder (default 256M).")
    var writes: String?

    @Option(help: "Seconds of CPU an answer's checks may use (default: their time limits × the cores, + 30).")
    var cpu: String?

    @Option(help: "Bytes of an answer's output kept (default 1M).")
    var output: String?

    mutating func run() throws {
        // stdout is a pipe under make too: lines as they come.
        setvbuf(stdout, nil, _IOLBF, 0)
        let workbook = FileManager.default.currentDirectoryPath
        guard FileManager.default.fileExists(atPath: workbook + "/Tests/ExerciseChecks") else {
            throw ValidationError("Run it from the workbook's folder (`make grade SUBMISSIONS=…`).")
        }
        let folder = URL(fileURLWithPath: submissions, relativeTo: URL(fileURLWithPath: workbook + "/"))
            .standardizedFileURL.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError(
                "\(submissions) is not a folder: SUBMISSIONS must name the folder of the learners' entries.")
        }
        let bwrap: String?
        switch sandbox {
        case "none": bwrap = nil
        case "bwrap":
            guard let found = which("bwrap") else {
                throw ValidationError(
                    "bubblewrap (bwrap) is not installed, and the learners' code must not run as you: `make deps` installs it "
                        + "(Debian's bubblewrap). SANDBOX=none grades without a sandbox, for answers you trust.")
            }
            bwrap = found
        default: throw ValidationError("--sandbox is bwrap or none, not \(sandbox).")
        }

        let given: [ResourceLimits.Variable: String?] = [
            .memory: memory, .processes: processes, .writes: writes, .cpu: cpu, .output: output
        ]
        let resources: ResourceLimits
        do {
            resources = try ResourceLimits(
                environment: Dictionary(
                    uniqueKeysWithValues: given.compactMap { key, value in value.map { (key.rawValue, $0) } }))
        } catch {
            throw ValidationError("\(error)")
        }

        let handedOut = Self.exercises(in: workbook, only: nil)
        let graded = only == nil ? handedOut : Self.exercises(in: workbook, only: only)
        let scratch = workbook + "/.build-grading"
        let grader = Grader(
            workbook: workbook,
            sandbox: Sandbox(bwrap: bwrap, workbook: workbook, submissions: folder, resources: resources),
            scratch: scratch)
        try FileManager.default.createDirectory(atPath: scratch + "/build", withIntermediateDirectories: true)
        if bwrap == nil { print("⚠ SANDBOX=none: the learners' code runs as you, with all you can reach.") }
        if bwrap != nil && geteuid() == 0 && grader.sandbox.workerUser == nil {
            print(
                "⚠ The checks run as root in the sandbox (no user namespace for user \(Sandbox.dedicatedUser), or it "
                    + "cannot reach \(workbook)): the limit on processes does not bind.")
        }
        // The packages the workbook uses are fetched outside the sandbox (it has no network), from the
        // workbook's own manifest, before any learner's code is in view.
        let resolved = shell(["swift", "package", "--scratch-path", scratch + "/build", "resolve"], in: workbook)
        guard resolved.status == 0 else {
            throw ValidationError("could not resolve the workbook's packages:\n\(resolved.text)")
        }

        let outputs: Set<String> = ["grades.csv", "grades.html"]
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { !$0.hasPrefix(".") && !outputs.contains($0) }.sorted()
        guard !entries.isEmpty else { throw ValidationError("\(submissions) holds no entries to grade.") }
        print(
            "Grading \(entries.count) learners × \(graded.count) exercises from \(submissions)"
                + (bwrap != nil ? ", each in a sandbox (bubblewrap)" : "") + ".")

        let start = Date()
        var submissionsSeen: [Submission] = [], grades: [Grade] = []
        var progress = Progress(total: entries.count * graded.count)
        for (index, entry) in entries.enumerated() {
            let slug = "\(index)-" + entry.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" }
            let submission = Submission(
                entry: folder + "/" + entry, in: scratch + "/entries/" + slug, handedOut: handedOut,
                stubs: workbook + "/Exercises")
            submissionsSeen.append(submission)
            let learnerStart = Date()
            for exercise in graded {
                progress.show("\(submission.learner) · \(exercise.number)")
                let grade = Self.grade(exercise, of: submission, slug: slug, with: grader)
                grades.append(grade)
                progress.advance()
            }
            progress.log(
                String(
                    format: "  %@: %d/%d pass (%.1f s)", submission.learner,
                    grades.filter { $0.learner == submission.learner && $0.verdict == .pass }.count, graded.count,
                    Date().timeIntervalSince(learnerStart))
                    + (submission.notes.isEmpty
                        ? "" : "\n" + submission.notes.map { "    ⚑ \($0)" }.joined(separator: "\n")))
        }
        progress.finish()
        let report = Report(
            exercises: graded, submissions: submissionsSeen, grades: grades, seconds: Date().timeIntervalSince(start))
        try report.csv.write(toFile: folder + "/grades.csv", atomically: true, encoding: .utf8)
        try report.html.write(toFile: folder + "/grades.html", atomically: true, encoding: .utf8)
        print(report.summary)
        print("\nWrote \(submissions)/grades.csv and \(submissions)/grades.html.")
    }

    /// The grade of one exercise of one submission.
    static func grade(_ exercise: GradedExercise, of submission: Submission, slug: String, with grader: Grader) -> Grade
    {
        let learner = submission.learner
        guard let answers = submission.exercises,
            FileManager.default.fileExists(atPath: answers + "/" + exercise.folder + "/Sources")
        else {
            return Grade(
                learner: learner, exercise: exercise.number, verdict: .missing, passed: 0, total: exercise.checkCount,
                details: submission.exercises == nil
                    ? "nothing to grade (see the notes)" : "no \(exercise.folder)/Sources")
        }
        switch grader.build(exercise, answers: answers) {
        case .compileError(let errors):
            return Grade(
                learner: learner, exercise: exercise.number, verdict: .compileError, passed: 0,
                total: exercise.checkCount, details: errors)
        case .program(let program):
            return grader.check(exercise, program: program, answers: answers, learner: learner, slug: slug)
        }
    }

    /// The exercises handed out: those with checks and a folder in the workbook's `Exercises/`.
    static func exercises(in workbook: String, only: String?) -> [GradedExercise] {
        let wanted = only.map {
            Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() })
        }
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: workbook + "/Exercises")) ?? []).sorted {
            $0.compare($1, options: .numeric) == .orderedAscending
        }
        return folders.compactMap { folder in
            let number = String(folder.prefix { $0 != "-" })
            let checks = workbook + "/Tests/ExerciseChecks/\(number)"
            guard FileManager.default.fileExists(atPath: checks + "/Checks"), wanted?.contains(number) ?? true else {
                return nil
            }
            let timings = (try? String(contentsOfFile: checks + "/Timings.tsv", encoding: .utf8)) ?? ""
            let count = timings.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
            return GradedExercise(number: number, folder: folder, checkCount: count)
        }
    }
}

/// A progress bar on a terminal (one line, redrawn), or nothing but the log lines in a pipe.
struct Progress {
    let total: Int
    var done = 0
    let terminal = isatty(1) == 1

    init(total: Int) { self.total = total }

    func show(_ what: String) {
        guard terminal else { return }
        let width = 24, filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        print("\r\u{1B}[2K\(bar) \(done)/\(total) \(what)", terminator: "")
        fflush(stdout)
    }

    mutating func advance() { done += 1 }

    func log(_ line: String) {
        if terminal { print("\r\u{1B}[2K", terminator: "") }
        print(line)
    }

    func finish() { if terminal { print("\r\u{1B}[2K", terminator: "") } }
}
