import AnswerRules
import ExerciseTool
import Foundation

/// How one learner's answer to one exercise fared: the row of `grades.csv` and the cell of
/// `grades.html`.
struct Grade {
    enum Verdict: String {
        case pass, fail
        case compileError = "compile-error"
        case crash, timeout, missing
        /// Something other than the checks wrote on their channel: a forgery, never a pass.
        case tampered
        /// The answer reached a limit on memory, processes, writes or CPU time.
        case limit
    }

    let learner: String
    let exercise: String
    let verdict: Verdict
    let passed: Int
    let total: Int
    /// What the learner needs to read: the failing checks' messages, or the compiler's errors.
    let details: String
}

/// Builds each learner's answers in the sandbox, once per distinct answer (a class hands in many
/// untouched stubs and copies), and runs the checks with only their worker inside the sandbox.
struct Grader {
    let workbook: String
    let sandbox: Sandbox
    /// `.build-grading/` in the workbook: the build shared by the whole class, the built checks by
    /// answer, and each run's writable folder and verdict.
    let scratch: String

    /// Whether the checks of `exercise` were built for this answer already, or why not.
    enum Built {
        case program(String)
        case compileError(String)
    }

    /// The checks' program for the learner's answer to `exercise` in `answers` (their `Exercises/`).
    func build(_ exercise: GradedExercise, answers: String) -> Built {
        // The checks and their support count too: a program built before they changed is not reused.
        let key = [
            answers + "/" + exercise.folder, workbook + "/Tests/ExerciseChecks/" + exercise.number,
            workbook + "/Tests/ExerciseSupport", workbook + "/Tests/AnswerRules"
        ].map(Submission.fingerprint(of:)).reduce(exercise.number) { $0 + "-" + $1 }
        let cached = scratch + "/checks/" + key
        let program = cached + "/check-" + exercise.number
        if FileManager.default.isExecutableFile(atPath: program) { return .program(program) }
        if let errors = try? String(contentsOfFile: cached + "/errors.txt", encoding: .utf8) {
            return .compileError(errors)
        }
        try? FileManager.default.createDirectory(atPath: cached, withIntermediateDirectories: true)

        let layout = ((try? FileManager.default.contentsOfDirectory(atPath: answers)) ?? []).sorted().joined(
            separator: ",")
        let command = [
            "env", "WORKBOOK_EXERCISES=1", "WORKBOOK_LAYOUT=grading:\(layout)",
            "swift", "build", "--scratch-path", scratch + "/build", "--product", "check-\(exercise.number)"
        ]
        let (status, log) = shell(
            sandbox.build(exercises: answers, scratch: scratch, command), in: workbook, timeout: 900)
        if status == 0 {
            shell(["cp", scratch + "/build/debug/check-\(exercise.number)", program])
            return .program(program)
        }
        let errors = Self.compilerErrors(in: log, folder: "Exercises/\(exercise.folder)/")
        let text =
            errors.isEmpty
            ? "the build failed:\n" + log.split(separator: "\n").suffix(30).joined(separator: "\n") : errors
        try? text.write(toFile: cached + "/errors.txt", atomically: true, encoding: .utf8)
        return .compileError(text)
    }

    /// The compiler's errors (with their source lines) in files under `folder`, paths made relative.
    static func compilerErrors(in log: String, folder: String) -> String {
        CompilerLog(log).errors(in: [folder]).map {
            $0.replacingOccurrences(of: #"^.*/(Exercises/)"#, with: "$1", options: .regularExpression)
        }.joined(separator: "\n")
    }

    /// Runs `program` (the checks with the learner's answer to `exercise`) and reads its verdict from
    /// the checks' own channel: the JSON file only the verdict's process, outside the sandbox, writes.
    func check(_ exercise: GradedExercise, program: String, answers: String, learner: String, slug: String) -> Grade {
        let run = scratch + "/runs/\(slug)/\(exercise.number)"
        try? FileManager.default.removeItem(atPath: run)
        try? FileManager.default.createDirectory(atPath: run + "/home", withIntermediateDirectories: true)
        let verdictFile = run + "/verdict.json"
        var environment = ProcessInfo.processInfo.environment.merging(sandbox.resources.environment) { $1 }
        environment["WORKBOOK_VERDICT"] = verdictFile
        environment.removeValue(forKey: "WORKBOOK_RECORD_TIMINGS")
        let wrapper = sandbox.worker(exercises: answers, program: program, folder: run + "/home")
        if !wrapper.isEmpty, let json = try? JSONEncoder().encode(wrapper) {
            environment["WORKBOOK_WORKER_WRAPPER"] = String(decoding: json, as: UTF8.self)
            environment["WORKBOOK_SANDBOX_FOLDER"] = run + "/home"
        }
        // Each check has its own time limit inside; this one only guards against the unforeseen.
        let (_, output) = shell(
            [program], in: run, environment: environment, output: run + "/output.txt", timeout: 1200)
        guard let data = FileManager.default.contents(atPath: verdictFile),
            let verdict = try? JSONDecoder().decode(CheckVerdict.self, from: data)
        else {
            let tail = output.split(separator: "\n").suffix(20).joined(separator: "\n")
            return Grade(
                learner: learner, exercise: exercise.number, verdict: .crash, passed: 0, total: exercise.checkCount,
                details: "the checks gave no verdict; their last lines:\n\(tail)")
        }
        let kind: Grade.Verdict =
            switch verdict.verdict {
            case .pass: .pass
            case .fail: .fail
            case .crash: .crash
            case .timeout: .timeout
            case .tampered: .tampered
            case .limit: .limit
            }
        let noted = verdict.note.map { verdict.verdict == .tampered ? "⚠ tampered: \($0)" : "✘ \($0)" }
        let lines: [String] = verdict.checks.filter { $0.status != .passed }.map { line in
            switch line.status {
            case .notRun: "· \(line.name): not run"
            default: "✘ \(line.name): \(line.message)"
            }
        }
        let details = ((noted.map { [$0] } ?? []) + lines).joined(separator: "\n")
        return Grade(
            learner: learner, exercise: exercise.number, verdict: kind, passed: verdict.passed, total: verdict.total,
            details: details)
    }
}
