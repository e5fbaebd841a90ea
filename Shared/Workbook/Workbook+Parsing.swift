import ArgumentParser
import Foundation

extension Workbook {
    /// Why parsing stopped: the text to show and the exit status (0 for `--help`).
    struct ParseFailure: Error {
        var message: String
        var status: Int32

        /// Shows the message: `--help` on standard output, a usage error on standard error.
        func report(on console: Console) {
            if status == 0 {
                console.out.write(message + "\n")
            } else {
                console.err.write(message + "\n")
            }
        }
    }

    /// `WorkbookCommand.chapter` is one global; the lock keeps two workbooks parsing at once (tests run
    /// in parallel) from seeing each other's defaults.
    private static let parseLock = NSLock()

    /// Parses `arguments`, giving either the command or the message and exit status to report;
    /// `--help` is wrapped to `columns` (the terminal's width when `nil`).
    func parse(_ arguments: [String], columns: Int? = nil) -> Result<WorkbookCommand, ParseFailure> {
        Workbook.parseLock.lock()
        defer { Workbook.parseLock.unlock() }
        WorkbookCommand.chapter = .init(
            command: commandName, title: title, about: about, epochs: defaultEpochs,
            lr: defaultLR, data: defaultData, stepCount: steps.count)
        do {
            return .success(try WorkbookCommand.parse(arguments))
        } catch {
            let message = WorkbookCommand.message(for: error)
            let status = WorkbookCommand.exitCode(for: error).rawValue
            let full =
                status == 0
                ? WorkbookCommand.fullMessage(for: error, columns: columns)
                : "error: \(message)\nUsage: " + WorkbookCommand.usageString() + "\nSee --help for what the flags do."
            return .failure(ParseFailure(message: full, status: status))
        }
    }

    /// The settings `command` asks for, with the chapter's default data set when it names none.
    func settings(from command: WorkbookCommand) -> Settings {
        Settings(
            data: command.data ?? defaultData, device: command.device, epochs: command.epochs, lr: command.lr,
            quick: command.quick, seed: command.seed)
    }
}
