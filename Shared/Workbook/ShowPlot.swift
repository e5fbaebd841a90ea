import Foundation
import Media
import Support

extension StepContext {
    /// Shows a plot the way the chapter's `plt.plot` does in a notebook: prints the terminal preview,
    /// writes the full PNG to `OutputFolder.output` (`out/` unless `$WORKBOOK_OUT` says otherwise),
    /// and prints where it went. Quiet steps (for `--from`) write nothing.
    /// - Parameters:
    ///   - plot: the plot.
    ///   - name: the file's name; by default made from the title (`learning-rate-finder.png`), so
    ///     running a chapter again replaces its plots rather than piling up copies.
    ///   - folder: where to write it; by default `OutputFolder.output`, created if needed.
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
            url = try OutputFolder.outputFile(named: fileName)
        }
        try plot.save(to: url.path)
        OutputRecording.current?.picture(at: url, caption: plot.title.isEmpty ? nil : plot.title)
        print(style.dim("plot written to \(url.path)"))
        return url
    }
}
