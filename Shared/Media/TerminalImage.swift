import Support

#if canImport(Glibc)
    import Glibc
#endif

/// The image as 24-bit colour text, two pixels a cell (`▀` over its background), at most `maxWidth`
/// columns; only for a terminal.
public func terminalPreview(_ image: RGBImage, maxWidth: Int) -> String {
    guard image.width > 0, image.height > 0, maxWidth > 0 else { return "" }
    let columns = Swift.min(image.width, maxWidth)
    // A cell is about twice as tall as wide and holds two pixel rows, so pixels stay square.
    var rows = Int((Double(image.height) * Double(columns) / Double(image.width)).rounded())
    rows = Swift.max(2, rows + rows % 2)
    let sampled = boxResample(image, width: columns, height: rows)
    var text = ""
    text.reserveCapacity(rows / 2 * columns * 40)
    for y in stride(from: 0, to: rows, by: 2) {
        for x in 0..<columns {
            let top = sampled[x, y], bottom = sampled[x, y + 1]
            text += "\u{1B}[38;2;\(top.0);\(top.1);\(top.2)m\u{1B}[48;2;\(bottom.0);\(bottom.1);\(bottom.2)m▀"
        }
        text += "\u{1B}[0m\n"
    }
    return text
}

/// The average colour of the source pixels under each target pixel (area averaging), which keeps
/// stripes and noise from aliasing in a small preview.
func boxResample(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
    var out = RGBImage(width: width, height: height)
    for y in 0..<height {
        let y0 = y * image.height / height, y1 = Swift.max(y0 + 1, (y + 1) * image.height / height)
        for x in 0..<width {
            let x0 = x * image.width / width, x1 = Swift.max(x0 + 1, (x + 1) * image.width / width)
            var r = 0, g = 0, b = 0
            for sy in y0..<y1 {
                for sx in x0..<x1 {
                    let p = image[sx, sy]
                    r += Int(p.0)
                    g += Int(p.1)
                    b += Int(p.2)
                }
            }
            let n = (y1 - y0) * (x1 - x0)
            out[x, y] = (UInt8(r / n), UInt8(g / n), UInt8(b / n))
        }
    }
    return out
}
