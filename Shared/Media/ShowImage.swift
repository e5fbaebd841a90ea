import Engine
import Foundation
import Support

/// Numbers the files `showImage` and `showImages` write, so that successive calls do not overwrite
/// each other.
nonisolated(unsafe) private var shownCount = 0
private let shownCountLock = NSLock()

/// The next picture's file name, `01-Dataset-003-english-springer.png`: the program's name keeps
/// chapters sharing one folder from overwriting each other's.
private func nextShowFileName(_ title: String?) -> String {
    shownCountLock.lock()
    shownCount += 1
    let n = shownCount
    shownCountLock.unlock()
    let slug = (title ?? "image").lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
    let name = String(slug).split(separator: "-").joined(separator: "-").prefix(40)
    let program = ProcessInfo.processInfo.processName.map { $0.isLetter || $0.isNumber ? $0 : "-" }
    return String(program) + "-" + String(n).leftPadded(to: 3) + "-" + (name.isEmpty ? "image" : name) + ".png"
}

/// `image` enlarged `factor` times with square pixels, so a 64×64 sample is visible in a viewer.
func enlarged(_ image: RGBImage, by factor: Int) -> RGBImage {
    guard factor > 1 else { return image }
    var out = RGBImage(width: image.width * factor, height: image.height * factor)
    for y in 0..<out.height {
        for x in 0..<out.width { out[x, y] = image[x / factor, y / factor] }
    }
    return out
}

/// The chapter's `show_image(x, title=…)`: a PNG in `OutputFolder.output`, and a preview in a
/// terminal. x: `[H, W, 3]` or `[3, H, W]` in [0, 1]. Returns the PNG's location.
@discardableResult
public func showImage(_ x: Tensor, title: String? = nil, previewWidth: Int = 32) throws -> URL {
    let image = try RGBImage(x)
    let url = try OutputFolder.outputFile(named: nextShowFileName(title))
    let factor = Swift.max(1, 256 / Swift.max(image.width, image.height))
    try writePNG(enlarged(image, by: factor), to: url.path, text: title.map { ("Title", $0) })
    if Terminal.stdoutIsTerminal { print(terminalPreview(image, maxWidth: previewWidth), terminator: "") }
    OutputRecording.current?.picture(at: url, caption: title)
    OutputRecording.print("\(title.map { "\($0): " } ?? "")image \(image.width)×\(image.height) written to \(url.path)")
    return url
}

/// The chapter's `show_images`: one PNG grid of `columns`, labels printed by row.
/// images: `[N, H, W, 3]` or `[N, 3, H, W]`.
@discardableResult
public func showImages(
    _ images: [Tensor], titles: [String] = [], columns: Int = 4,
    previewWidth: Int = 96
) throws -> URL {
    let pictures = try images.map { try RGBImage($0) }
    guard let first = pictures.first else {
        throw ImageFileError(path: "(showImages)", message: "no images to show")
    }
    guard pictures.allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
        throw ImageFileError(
            path: "(showImages)", message: "images differ in size: \(pictures.map { "\($0.width)×\($0.height)" })")
    }
    let columns = Swift.max(1, Swift.min(columns, pictures.count))
    let rows = (pictures.count + columns - 1) / columns
    let gap = 2
    var grid = RGBImage(width: columns * (first.width + gap) - gap, height: rows * (first.height + gap) - gap)
    for (i, picture) in pictures.enumerated() {
        let ox = (i % columns) * (first.width + gap), oy = (i / columns) * (first.height + gap)
        for y in 0..<picture.height {
            for x in 0..<picture.width { grid[ox + x, oy + y] = picture[x, y] }
        }
    }
    let label = titles.isEmpty ? "images" : titles.prefix(3).joined(separator: "-")
    let url = try OutputFolder.outputFile(named: nextShowFileName(label))
    let factor = Swift.max(1, 192 / Swift.max(first.width, first.height))
    try writePNG(
        enlarged(grid, by: factor), to: url.path,
        text: titles.isEmpty ? nil : ("Labels", titles.joined(separator: ", ")))
    if Terminal.stdoutIsTerminal { print(terminalPreview(grid, maxWidth: previewWidth), terminator: "") }
    OutputRecording.current?.picture(at: url, caption: titles.isEmpty ? nil : titles.joined(separator: " · "))
    for r in 0..<rows where !titles.isEmpty {
        let row = titles[Swift.min(r * columns, titles.count)..<Swift.min((r + 1) * columns, titles.count)]
        OutputRecording.print("  row \(r + 1): " + row.joined(separator: " | "))
    }
    OutputRecording.print("\(pictures.count) images written to \(url.path)")
    return url
}

/// `showImages` for a batch tensor `[N, H, W, 3]` (or `[N, 3, H, W]`).
@discardableResult
public func showImages(
    _ batch: Tensor, titles: [String] = [], columns: Int = 4,
    previewWidth: Int = 96
) throws -> URL {
    guard batch.rank == 4 else {
        throw ImageFileError(path: "(showImages)", message: "expected a batch [N, H, W, 3], got shape \(batch.shape)")
    }
    return try showImages(
        (0..<batch.shape[0]).map { batch[$0] }, titles: titles, columns: columns,
        previewWidth: previewWidth)
}
