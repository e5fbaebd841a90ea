import Foundation

/// Builds the checks of one exercise against one tree of answers and runs them: what `make exercise`
/// and `make solution` print.
public struct ExerciseCheck {
    /// Whose answer: the learner's in `Exercises/` (program `check-N`) or the reference in `Solutions/`
    /// (program `solution-N`, built without the learner's answers, which a half-written one cannot stop).
    public enum Tree: String {
        case exercises = "Exercises"
        case solutions = "Solutions"
    }

    let catalog: ExerciseCatalog
    let build: WorkbookBuild
    let screen: Screen

    public init(catalog: ExerciseCatalog, build: WorkbookBuild, screen: Screen) {
        self.catalog = catalog
        self.build = build
        self.screen = screen
    }

    /// The program that runs `exercise`'s checks on `tree`.
    public static func program(_ exercise: Exercise, _ tree: Tree) -> String {
        (tree == .exercises ? "check-" : "solution-") + exercise.number
    }

    /// Builds (unless `prebuilt`) and runs the checks; prints the question, a line per check and the
    /// verdict. Returns the exit status (0: every check passes) and the checks' own lines, unwrapped.
    @discardableResult
    public func run(_ exercise: Exercise, on tree: Tree, prebuilt: Bool = false) -> (status: Int32, raw: [String]) {
        let question = (try? ExerciseInfo(of: exercise, root: catalog.root).question) ?? ""
        screen.say(title: "Exercise \(exercise.number)", ": \(question)")
        screen.say("Checking the answer in \(tree.rawValue)/\(exercise.folder)/Sources …")
        let progress = ExerciseProgress(build: build)
        let product = Self.program(exercise, tree)
        if !prebuilt {
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-\(getpid()).log").path
            defer { try? FileManager.default.removeItem(atPath: log) }
            guard build.build(product, learnersAnswers: tree == .exercises, log: log) else {
                if tree == .exercises { progress.record(exercise, solved: false) }
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                explainBuildFailure(CompilerLog(text), exercise, tree)
                return (1, [])
            }
        }
        var verdictScreen = VerdictScreen(width: screen.width, root: catalog.root)
        var raw: [String] = []
        let status = Subprocess.stream(build.binaries.appendingPathComponent(product).path) { line in
            raw.append(line)
            for shown in verdictScreen.lines(for: line) { print(shown) }
        }
        screen.printLines(verdictScreen.finish())
        if tree == .exercises { progress.record(exercise, solved: status == 0) }
        return (status == 0 ? 0 : 1, raw)
    }

    /// Says why the checks did not build: the compiler's errors in the answer's files first, then
    /// those of the programs that call it, then anything else.
    func explainBuildFailure(_ log: CompilerLog, _ exercise: Exercise, _ tree: Tree) {
        let answers = "\(tree.rawValue)/\(exercise.folder)/"
        let checks = exercise.checksFolder
        let callers = ["\(checks)/Student/", "\(checks)/Reference/"]
        guard log.hasErrors(in: [answers, "\(checks)/"]) else {
            print(log.lines.suffix(40).joined(separator: "\n"))
            print()
            screen.say(
                title: "✘ Exercise \(exercise.number) could not be built",
                ", for a reason outside your answer (above).")
            return
        }
        screen.printLines(log.errors(in: [answers]))
        if log.hasErrors(in: callers) {
            screen.say(
                "  The checks call your answer by the names and types the stub declares (did you rename or "
                    + "change a declaration outside the answer regions?); the compiler says:")
            screen.printLines(log.errors(in: callers))
        }
        if log.hasErrors(in: ["\(checks)/Checks/"]) {
            screen.say("  The checks themselves do not compile (\(checks)/Checks):")
            screen.printLines(log.errors(in: ["\(checks)/Checks/"]))
        }
        print()
        screen.say(
            title: "✘ Exercise \(exercise.number) does not compile yet",
            ": fix the errors above (in \(tree.rawValue)/\(exercise.folder)).")
    }
}
