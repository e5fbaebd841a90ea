import Foundation
import Media

/// What the runner says and does when the run cannot be quite what was asked: a source newer than the
/// program, no usable GPU, a page folder that cannot be written. Each costs a warning, not the run.
extension Workbook {
    /// Warns when a shown file changed after this program was built: the code shown may not be what runs.
    func warnIfStale(_ shown: [ShownStep], console: Console) {
        guard let stale = Workbook.staleSource(shown) else { return }
        console.err.write(
            Style(enabled: console.colors).warning("warning: ")
                + "\(Workbook.librarySource.relative(stale)) changed after this program was built: the code "
                + "shown is the file as it is now, not what runs. `swift run` rebuilds it.\n")
    }

    /// A source file shown that is newer than the running executable, if any.
    static func staleSource(_ shown: [ShownStep]) -> String? {
        let manager = FileManager.default
        func modified(_ path: String) -> Date? {
            (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        guard let executable = CommandLine.arguments.first.map({ URL(fileURLWithPath: $0).resolvingSymlinksInPath() }),
            let built = modified(executable.path)
        else { return nil }
        let files = shown.flatMap { [$0.file] + $0.definitions.map(\.file) }
        return files.first { modified($0).map { $0 > built } ?? false }
    }

    /// `settings`, on the CPU when `--device gpu` asked for a GPU that cannot be used (saying why).
    func fallingBackToCPU(_ settings: Settings, console: Console) -> Settings {
        guard settings.device == .gpu, let reason = Workbook.gpuUnavailableReason() else { return settings }
        console.err.write(
            Style(enabled: console.colors).warning("warning: ")
                + "--device gpu: \(reason); running on the CPU instead.\n")
        var onCPU = settings
        onCPU.device = .cpu
        return onCPU
    }

    /// `folder`, or a folder in the temporary directory when it cannot be written, or `nil` when
    /// neither can: the page is lost, not the run.
    func writableFolder(_ folder: URL?, console: Console) -> URL? {
        guard let folder, let reason = OutputFolder.unwritableReason(folder) else { return folder }
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("workbook-\(commandName)")
        let usable = OutputFolder.unwritableReason(elsewhere) == nil
        console.err.write(
            Style(enabled: console.colors).warning("warning: ") + "\(folder.path) cannot be written (\(reason)): "
                + (usable ? "pictures and this run's page go to \(elsewhere.path) instead.\n" : "no page this run.\n"))
        // Pictures follow the page only when the page was to go where they go; a caller's own folder (a
        // test's) leaves the process-wide output alone.
        if usable && folder == OutputFolder.output { OutputFolder.fallback = elsewhere }
        return usable ? elsewhere : nil
    }
}
