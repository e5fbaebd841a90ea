import Foundation

/// Where the workbook writes what it shows: PNG files of images and plots.
public enum WorkbookPaths {
    /// The output folder: `$WORKBOOK_OUT` when set, else `out/` under the current directory.
    /// Not created by reading this; `outputFile(named:)` creates it when a file is first written.
    public static var output: URL {
        if let custom = ProcessInfo.processInfo.environment["WORKBOOK_OUT"], !custom.isEmpty {
            return URL(fileURLWithPath: custom, isDirectory: true)
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            .appendingPathComponent("out", isDirectory: true)
    }

    /// The path of a file called `name` in `output`, creating the folder if needed.
    /// Throws a `CocoaError` naming the folder when it cannot be created.
    public static func outputFile(named name: String) throws -> URL {
        let folder = output
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }
}
