import Foundation
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
