import Foundation

extension StepContext {
    /// Shows a picture that is not a plot (the colorful dimension, say) as `showPlot` shows plots:
    /// a preview in the terminal when it shows colour, the PNG written to `OutputFolder.output`,
    /// and where it went. Quiet steps (for `--from`) write nothing.
    /// - Returns: the PNG's location, or `nil` when the step runs quietly.
    @discardableResult
    public func showPicture(_ image: RGBImage, name: String, title: String? = nil) throws -> URL? {
        guard !isQuiet else { return nil }
        // The preview is drawn with 24-bit colour escapes: only a colour terminal can show it.
        if style.enabled { terminal.write(terminalPreview(image, maxWidth: Swift.min(width, 80))) }
        let url = try OutputFolder.outputFile(named: name)
        try writePNG(image, to: url.path, text: title.map { ("Title", $0) })
        OutputRecording.current?.picture(at: url, caption: title)
        print(style.dim("picture written to \(url.path)"))
        return url
    }
}
