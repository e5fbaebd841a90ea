import CImageIO
import Foundation

/// PIL's `Image.open(path).convert('RGB')` for a PNG; throws `ImageFileError` for an invalid one.
public func readPNG(_ path: String) throws -> RGBImage {
    var pixels: UnsafeMutablePointer<UInt8>?
    var width: Int32 = 0, height: Int32 = 0
    var error = [CChar](repeating: 0, count: Int(CIMG_ERROR_CAPACITY))
    guard cimg_png_read(path, &pixels, &width, &height, &error) == 0, let pixels else {
        throw ImageFileError(path: path, message: String(cString: error))
    }
    defer { free(pixels) }
    let count = Int(width) * Int(height) * 3
    return RGBImage(
        width: Int(width), height: Int(height),
        pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
}

/// Decodes PNG bytes already in memory (used when a file's content turns out to be a PNG whatever
/// its name says).
func decodePNG(_ bytes: UnsafeRawBufferPointer, path: String) throws -> RGBImage {
    var pixels: UnsafeMutablePointer<UInt8>?
    var width: Int32 = 0, height: Int32 = 0
    var error = [CChar](repeating: 0, count: Int(CIMG_ERROR_CAPACITY))
    let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
    guard let base, cimg_png_read_memory(base, bytes.count, &pixels, &width, &height, &error) == 0,
        let pixels
    else {
        throw ImageFileError(path: path, message: bytes.isEmpty ? "empty file" : String(cString: error))
    }
    defer { free(pixels) }
    let count = Int(width) * Int(height) * 3
    return RGBImage(
        width: Int(width), height: Int(height),
        pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
}

/// Writes `image` as an RGB PNG at `path`, leaving no partial file when it throws `ImageFileError`.
public func writePNG(_ image: RGBImage, to path: String) throws {
    try writePNG(image, to: path, text: nil)
}

/// `writePNG` with one `tEXt` chunk (`key`, `value`), e.g. the title of a shown image.
package func writePNG(_ image: RGBImage, to path: String, text: (key: String, value: String)?) throws {
    var error = [CChar](repeating: 0, count: Int(CIMG_ERROR_CAPACITY))
    let result = image.pixels.withUnsafeBufferPointer { pixels in
        cimg_png_write(
            path, pixels.baseAddress, Int32(image.width), Int32(image.height),
            text?.key, text?.value, &error)
    }
    if result != 0 { throw ImageFileError(path: path, message: String(cString: error)) }
}
