import Foundation
import Testing

@testable import Media
@testable import Shared
@testable import Support
@testable import Workbook

@Suite struct PlotSaveTests {
    private func samplePlot() -> LinePlot {
        var plot = LinePlot(title: "One-cycle schedule", xLabel: "batch", yLabel: "learning rate")
        plot.plot((0..<50).map { (i: Int) -> Double in Double(i < 12 ? i : 50 - i) / 100 })
        return plot
    }

    @Test func savesThePNGItRenders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plot-save-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plot = samplePlot()
        let path = folder.appendingPathComponent("p.png").path
        try plot.save(to: path, width: 320, height: 240)
        #expect(try readPNG(path) == plot.render(width: 320, height: 240))
        #expect(plot.fileName == "one-cycle-schedule.png")
        #expect(throws: ImageFileError.self) {
            try plot.save(to: folder.appendingPathComponent("no/such/dir.png").path)
        }
    }

    @Test func stepContextShowsAndWritesPlots() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plot-show-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = TextBuffer()
        let ctx = StepContext(
            settings: .init(), number: 1, isQuiet: false, style: Style(enabled: false), width: 80,
            out: out)
        let url = try #require(try ctx.showPlot(samplePlot(), folder: folder))
        #expect(url.lastPathComponent == "one-cycle-schedule.png")
        #expect(FileManager.default.fileExists(atPath: url.path))
        #expect(out.text.contains("One-cycle schedule"))
        #expect(out.text.contains("└"))
        #expect(out.text.contains("plot written to \(url.path)"))

        let quiet = StepContext(
            settings: .init(), number: 1, isQuiet: true, style: Style(enabled: false), width: 80,
            out: out)
        #expect(try quiet.showPlot(samplePlot(), name: "quiet.png", folder: folder) == nil)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("quiet.png").path))
    }
}
