// `workbook`: every exercise command, one subcommand each; the Makefile's exercise targets call it.
import ArgumentParser
import ExerciseTool
import Foundation

/// The workbook's exercise commands.
@main
struct WorkbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbook",
        abstract: "The exercises of the workbook: check, watch, hint, run, and grade a class.",
        discussion: "Run it from the workbook's folder; the Makefile's targets (`make exercise N=16`) call it.",
        subcommands: [
            ListCommand.self, CheckCommand.self, WatchCommand.self, HintCommand.self, RunCommand.self,
            SolutionCommand.self, TimingsCommand.self, StubsCommand.self, NewCommand.self,
            WrongAnswerCommand.self, GradeCommand.self, SuiteCommand.self, LayoutCommand.self
        ])
}

/// What every subcommand starts from: the workbook's folder (the current one), its exercises, its
/// build folder and the terminal.
struct Context {
    let catalog: ExerciseCatalog
    let build: WorkbookBuild
    let screen = Screen()

    init() throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Tests/ExerciseChecks").path) else {
            throw ValidationError("Run it from the workbook's folder (or through make: `make exercise N=16`).")
        }
        catalog = ExerciseCatalog(root: root)
        build = WorkbookBuild(root: root)
    }

    /// The exercise numbered `given`, or exit 2 after saying which numbers exist.
    func exercise(_ given: String?) throws -> Exercise {
        do { return try catalog.exercise(given) } catch { throw usage(error) }
    }

    /// The exercises `given` names ("all": every one), or exit 2 after saying which numbers exist.
    func exercises(_ given: String?) throws -> [Exercise] {
        do { return try catalog.exercises(given) } catch { throw usage(error) }
    }

    /// Says `error` and ends with status 2, a mistake in the command rather than in an answer.
    func usage(_ error: Error) -> ExitCode {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        return ExitCode(2)
    }
}

/// The exercise a subcommand is about, as make passes it (`N=16` → "16"; empty when N is not set).
struct ExerciseNumber: ParsableArguments {
    @Argument(help: "The exercise's number (16, R3); all, where the command says so.")
    var number: String = ""
}
