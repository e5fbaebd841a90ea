import Foundation
import Testing

@testable import Media
@testable import Shared
@testable import Support

@Suite struct TerminalImageTests {
    @Test func previewUsesHalfBlocksAndTrueColour() {
        var image = RGBImage(width: 8, height: 4, fill: (10, 20, 30))
        for x in 0..<8 {
            image[x, 3] = (250, 0, 0)
            image[x, 2] = (250, 0, 0)
        }
        let text = terminalPreview(image, maxWidth: 80)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)  // 4 pixel rows, 2 per line
        #expect(text.components(separatedBy: "▀").count - 1 == 16)  // 8 cells a line
        #expect(lines[0].contains("\u{1B}[38;2;10;20;30m\u{1B}[48;2;10;20;30m"))
        #expect(lines[1].contains("\u{1B}[38;2;250;0;0m\u{1B}[48;2;250;0;0m"))
        #expect(lines.allSatisfy { $0.hasSuffix("\u{1B}[0m") })
    }

    @Test func previewShrinksToMaxWidthKeepingAspect() {
        let text = terminalPreview(RGBImage(width: 200, height: 100), maxWidth: 40)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 10)
        #expect(lines[0].components(separatedBy: "▀").count - 1 == 40)
    }

    @Test func tensorBecomesImageInEitherLayout() throws {
        let hwc = Tensor([0, 0.5, 1, 1, 1, 1], shape: [1, 2, 3])
        let chw = Tensor([0, 1, 0.5, 1, 1, 1], shape: [3, 1, 2])
        #expect(try RGBImage(hwc) == RGBImage(chw))
        #expect(try RGBImage(hwc)[0, 0] == (0, 128, 255))
        #expect(throws: ImageFileError.self) { _ = try RGBImage(Tensor.zeros([2, 2, 2, 2])) }
    }

    @Test func showImageWritesAPNG() throws {
        let folder = try makeDataTestFolder("showImage")
        setenv("WORKBOOK_OUT", folder.path, 1)
        defer { unsetenv("WORKBOOK_OUT") }
        let url = try showImage(Tensor.full([16, 16, 3], 0.5), title: "tench")
        #expect(url.path.hasPrefix(folder.path) && url.lastPathComponent.hasSuffix("-tench.png"))
        let png = try readPNG(url.path)
        #expect(png.width == 256 && png[100, 100] == (128, 128, 128))
        let grid = try showImages(Tensor.zeros([5, 8, 8, 3]), titles: ["a", "b", "c", "d", "e"], columns: 3)
        let gridPNG = try readPNG(grid.path)
        #expect(gridPNG.width == (3 * 10 - 2) * 24 && gridPNG.height == (2 * 10 - 2) * 24)
    }
}
