import Foundation

@testable import Media
@testable import Shared

/// A fresh empty folder under the system's temporary directory, for one test's generated files.
func makeDataTestFolder(_ name: String = #function) throws -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("workbook-data-tests-\(getpid())-\(safe)-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A test picture: a horizontal red ramp, a vertical green ramp, constant blue.
func makeRampImage(width: Int, height: Int, blue: UInt8 = 100) -> RGBImage {
    var image = RGBImage(width: width, height: height)
    for y in 0..<height {
        for x in 0..<width {
            image[x, y] = (UInt8(x * 255 / max(width - 1, 1)), UInt8(y * 255 / max(height - 1, 1)), blue)
        }
    }
    return image
}

/// Mean absolute difference of two equally sized images, in 0…255 units.
func meanAbsoluteDifference(_ a: RGBImage, _ b: RGBImage) -> Double {
    precondition(a.pixels.count == b.pixels.count)
    var total = 0
    for i in 0..<a.pixels.count { total += abs(Int(a.pixels[i]) - Int(b.pixels[i])) }
    return Double(total) / Double(a.pixels.count)
}

/// A small folder in Imagenette's layout: `train/<class>/…JPEG` and `val/<class>/…JPEG`, with
/// images of varied sizes whose red channel encodes the image's number (so tests can check which
/// image landed where).
@discardableResult
func makeTinyImageFolder(
    at root: URL, classes: [String] = ["n01", "n02", "n03"],
    trainPerClass: Int = 5, validPerClass: Int = 2
) throws -> [URL] {
    var written: [URL] = []
    var n = 0
    for split in ["train", "val"] {
        for cls in classes {
            let folder = root.appendingPathComponent(split).appendingPathComponent(cls)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<(split == "train" ? trainPerClass : validPerClass) {
                let file = folder.appendingPathComponent("\(cls)_\(i).JPEG")
                let image = RGBImage(width: 24 + n % 7, height: 20 + n % 5, fill: (UInt8(n * 5 % 256), 128, 30))
                try writeJPEG(image, to: file.path, quality: 95)
                written.append(file)
                n += 1
            }
        }
    }
    return written
}
