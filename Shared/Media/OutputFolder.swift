import Foundation

/// Where the workbook writes what it shows: PNG files of images and plots.
public enum OutputFolder {
    /// The output folder: `$WORKBOOK_OUT` when set, else `out/` under the current directory.
    /// Not created by reading this; `outputFile(named:)` creates it when a file is first written.
    public static var output: URL {
        if let fallback { return fallback }
        if let custom = ProcessInfo.processInfo.environment["WORKBOOK_OUT"], !custom.isEmpty {
            return URL(fileURLWithPath: custom, isDirectory: true)
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            .appendingPathComponent("out", isDirectory: true)
    }

    /// Where files go instead when the folder asked for cannot be written (the runner sets it, after
    /// saying so), so that a read-only `out/` costs a warning rather than the chapter.
    nonisolated(unsafe) public static var fallback: URL?

    /// Why `folder` cannot hold files, or `nil` when it can. It is created if missing, and a file is
    /// written in it and removed, since only writing tells for sure (a read-only mount, a full disk).
    public static func unwritableReason(_ folder: URL) -> String? {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            // Foundation's wording ("The file doesn’t exist.") hides the cause; the C library's names it
            // ("Permission denied", "Read-only file system").
            if mkdir(folder.path, 0o755) != 0 && errno != EEXIST { return String(cString: strerror(errno)) }
            return error.localizedDescription
        }
        let probe = folder.appendingPathComponent(".write-test-\(getpid())").path
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        close(descriptor)
        unlink(probe)
        return nil
    }

    /// The path of a file called `name` in `output`, creating the folder if needed.
    /// Throws a `CocoaError` naming the folder when it cannot be created.
    public static func outputFile(named name: String) throws -> URL {
        let folder = output
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }
}
