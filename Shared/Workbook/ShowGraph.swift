import Engine
import Foundation
import Media
import Support

extension StepContext {
    /// Shows the autograd graph `graph`: its tree in the terminal (`AutogradGraph.tree`), and its
    /// picture (`AutogradGraph.svg`) written as `name` in `folder` (by default `OutputFolder.output`)
    /// and put on the run's page. Quiet steps (for `--from`) show and write nothing.
    /// - Returns: the SVG's location, or `nil` when the step runs quietly.
    @discardableResult
    public func showGraph(_ graph: AutogradGraph, name: String, folder: URL? = nil) throws -> URL? {
        guard !isQuiet else { return nil }
        terminal.write(graph.tree() + "\n")
        let url: URL
        if let folder {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            url = folder.appendingPathComponent(name)
        } else {
            url = try OutputFolder.outputFile(named: name)
        }
        do {
            try Data(graph.svg().utf8).write(to: url)
        } catch {
            throw ImageFileError(
                path: url.path, message: "cannot write the graph's picture: \(error.localizedDescription)")
        }
        OutputRecording.current?.picture(at: url, caption: "The autograd graph: \(graph.nodes.count) tensors")
        print(style.dim("graph written to \(url.path)"))
        return url
    }
}
