import Foundation

extension LinePlot {
    /// Renders the plot (`width`×`height` pixels) and writes it as a PNG file at `path`, with the title
    /// stored in the file's `Title` text chunk. Throws `ImageFileError` naming the file when it cannot
    /// be written.
    public func save(to path: String, width: Int = 640, height: Int = 480) throws {
        try writePNG(render(width: width, height: height), to: path, text: title.isEmpty ? nil : ("Title", title))
    }

    /// A file name made from the title: "Learning rate finder" → `learning-rate-finder.png`.
    package var fileName: String {
        let slug = title.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let name = String(slug).split(separator: "-").joined(separator: "-").prefix(40)
        return (name.isEmpty ? "plot" : String(name)) + ".png"
    }
}
