import Foundation

extension LinePlot {
    /// Renders the plot (`width`×`height` pixels) and writes it as a PNG file at `path`, with the title
    /// stored in the file's `Title` text chunk. Throws `ImageFileError` naming the file when it cannot
    /// be written.
    public func save(to path: String, width: Int = 640, height: Int = 480) throws {
        try writePNG(render(width: width, height: height), to: path, text: title.isEmpty ? nil : ("Title", title))
    }

    /// A file name made from the title: "Learning rate finder" → `learning-rate-finder.png`.
    var fileName: String {
        let slug = title.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let name = String(slug).split(separator: "-").joined(separator: "-").prefix(40)
        return (name.isEmpty ? "plot" : String(name)) + ".png"
    }
}

extension StepContext {
    /// Shows a plot the way the chapter's `plt.plot` does in a notebook: prints the terminal preview,
    /// writes the full PNG to `WorkbookPaths.output` (`out/` unless `$WORKBOOK_OUT` says otherwise),
    /// and prints where it went. Quiet steps (for `--from`) write nothing.
    /// - Parameters:
    ///   - plot: the plot.
    ///   - name: the file's name; by default made from the title (`learning-rate-finder.png`), so
    ///     running a chapter again replaces its plots rather than piling up copies.
    ///   - folder: where to write it; by default `WorkbookPaths.output`, created if needed.
    /// - Returns: the PNG's location, or `nil` when the step runs quietly.
    @discardableResult
    public func showPlot(_ plot: LinePlot, name: String? = nil, folder: URL? = nil) throws -> URL? {
        guard !isQuiet else { return nil }
        // The page gets the PNG itself, so the rough copy goes to the terminal only.
        terminal.write(preview(plot) + "\n")
        let fileName = name ?? plot.fileName
        let url: URL
        if let folder {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            url = folder.appendingPathComponent(fileName)
        } else {
            url = try WorkbookPaths.outputFile(named: fileName)
        }
        try plot.save(to: url.path)
        OutputRecording.current?.picture(at: url, caption: plot.title.isEmpty ? nil : plot.title)
        print(style.dim("plot written to \(url.path)"))
        return url
    }
}
