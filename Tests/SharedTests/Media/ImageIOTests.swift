import Foundation
import Testing

@testable import Media
@testable import Shared

/// JPEG and PNG reading and writing on the real libraries, and every kind of bad input the acceptance
/// list names: each either decodes correctly or throws an error that names the file.
@Suite struct ImageIOTests {
    let folder: URL
    init() throws { folder = try makeDataTestFolder("ImageIO") }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Expects `body` to throw an `ImageFileError` about `file` whose message contains `fragment`.
    func expectFailure(_ file: String, _ fragment: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("\(file) decoded but should have failed")
        } catch let error as ImageFileError {
            #expect(error.path == file)
            #expect(error.description.contains(file))
            #expect(error.message.lowercased().contains(fragment.lowercased()), "message: \(error.message)")
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test func pngRoundTripIsExact() throws {
        let image = makeRampImage(width: 37, height: 21)
        try writePNG(image, to: path("ramp.png"))
        #expect(try readPNG(path("ramp.png")) == image)
    }

    @Test func pngErrorsNameTheFile() throws {
        expectFailure(path("missing.png"), "cannot open") { _ = try readPNG(path("missing.png")) }
        try Data("hello".utf8).write(to: URL(fileURLWithPath: path("text.png")))
        expectFailure(path("text.png"), "not a PNG") { _ = try readPNG(path("text.png")) }
        let image = makeRampImage(width: 50, height: 50)
        try writePNG(image, to: path("whole.png"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("whole.png")))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path("half.png")))
        #expect(throws: ImageFileError.self) { _ = try readPNG(path("half.png")) }
        expectFailure(path("no/such/folder/out.png"), "cannot open for writing") {
            try writePNG(image, to: path("no/such/folder/out.png"))
        }
    }

    @Test func rgbJPEGDecodesCloseToTheOriginal() throws {
        let image = makeRampImage(width: 120, height: 80)
        try writeJPEG(image, to: path("rgb.jpg"), quality: 95)
        let decoded = try loadImage(path("rgb.jpg"))
        #expect(decoded.width == 120 && decoded.height == 80)
        #expect(meanAbsoluteDifference(decoded, image) < 3)
    }

    @Test func grayscaleJPEGComesBackAsRGB() throws {
        let image = makeRampImage(width: 64, height: 48)
        try writeJPEG(image, to: path("gray.JPEG"), colorModel: .grayscale)
        let decoded = try loadImage(path("gray.JPEG"))
        #expect(decoded.width == 64 && decoded.height == 48)
        for i in stride(from: 0, to: decoded.pixels.count, by: 3) {
            #expect(decoded.pixels[i] == decoded.pixels[i + 1] && decoded.pixels[i] == decoded.pixels[i + 2])
        }
        // Luminance of the middle pixel: 0.299 R + 0.587 G + 0.114 B.
        let (r, g, b) = image[32, 24]
        let luma = 0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b)
        #expect(abs(Double(decoded[32, 24].0) - luma) < 6)
    }

    @Test func cmykJPEGComesBackAsRGB() throws {
        var image = RGBImage(width: 48, height: 16)
        let colours: [(UInt8, UInt8, UInt8)] = [(200, 30, 40), (20, 180, 60), (30, 40, 220)]
        for y in 0..<16 { for x in 0..<48 { image[x, y] = colours[x / 16] } }
        try writeJPEG(image, to: path("cmyk.JPEG"), quality: 95, colorModel: .cmyk)
        let decoded = try loadImage(path("cmyk.JPEG"))
        for (i, colour) in colours.enumerated() {
            let p = decoded[i * 16 + 8, 8]
            #expect(
                abs(Int(p.0) - Int(colour.0)) < 10 && abs(Int(p.1) - Int(colour.1)) < 10
                    && abs(Int(p.2) - Int(colour.2)) < 10, "CMYK colour \(i): \(p) vs \(colour)")
        }
    }

    @Test func progressiveJPEGDecodesLikeBaseline() throws {
        let image = makeRampImage(width: 160, height: 120)
        try writeJPEG(image, to: path("baseline.jpg"), quality: 90)
        try writeJPEG(image, to: path("progressive.jpg"), quality: 90, progressive: true)
        let a = try loadImage(path("baseline.jpg")), b = try loadImage(path("progressive.jpg"))
        #expect(meanAbsoluteDifference(a, b) < 1)
        let small = try loadImage(path("progressive.jpg"), size: 64)
        #expect(small.shape == [64, 64, 3])
    }

    @Test func truncatedJPEGFails() throws {
        try writeJPEG(makeRampImage(width: 160, height: 160), to: path("whole.JPEG"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("whole.JPEG")))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path("truncated.JPEG")))
        expectFailure(path("truncated.JPEG"), "premature end") { _ = try loadImage(path("truncated.JPEG")) }
        expectFailure(path("truncated.JPEG"), "premature end") { _ = try loadImage(path("truncated.JPEG"), size: 64) }
        // Cut inside the header: libjpeg stops earlier, with a different message.
        try bytes.prefix(40).write(to: URL(fileURLWithPath: path("header.JPEG")))
        #expect(throws: ImageFileError.self) { _ = try loadImage(path("header.JPEG"), size: 64) }
        // The decoder is still usable after a failure.
        #expect(try loadImage(path("whole.JPEG"), size: 64).shape == [64, 64, 3])
    }

    @Test func emptyTextAndMissingFilesFail() throws {
        _ = FileManager.default.createFile(atPath: path("empty.JPEG"), contents: Data())
        expectFailure(path("empty.JPEG"), "empty") { _ = try loadImage(path("empty.JPEG"), size: 64) }
        try Data("this is not an image\n".utf8).write(to: URL(fileURLWithPath: path("text.JPEG")))
        expectFailure(path("text.JPEG"), "not a JPEG or PNG") { _ = try loadImage(path("text.JPEG"), size: 64) }
        expectFailure(path("missing.JPEG"), "cannot open") { _ = try loadImage(path("missing.JPEG")) }
        expectFailure(folder.path, "not a regular file") { _ = try loadImage(folder.path) }
    }

    @Test func pngNamedJPEGDecodesByContent() throws {
        let image = makeRampImage(width: 30, height: 20)
        try writePNG(image, to: path("really-a-png.JPEG"))
        #expect(try loadImage(path("really-a-png.JPEG")) == image)
        #expect(try loadImage(path("really-a-png.JPEG"), size: 64).shape == [64, 64, 3])
    }

    @Test func onePixelImageFillsTheTarget() throws {
        try writeJPEG(RGBImage(width: 1, height: 1, fill: (200, 100, 50)), to: path("dot.JPEG"), quality: 100)
        let x = try loadImage(path("dot.JPEG"), size: 64).toArray()
        let first = Array(x[0..<3])
        #expect(abs(first[0] - 200 / 255) < 0.03 && abs(first[1] - 100 / 255) < 0.03 && abs(first[2] - 50 / 255) < 0.03)
        for i in stride(from: 0, to: x.count, by: 3) { #expect(Array(x[i..<(i + 3)]) == first) }
    }

    @Test func hugeImageDecodesAtReducedScale() throws {
        let side = 8000
        var image = RGBImage(width: side, height: side, fill: (40, 80, 160))
        // A brighter left half, to check the geometry survives the 1/8 DCT scale and the resize.
        image.pixels.withUnsafeMutableBufferPointer { p in
            for y in 0..<side { for x in 0..<(side / 2) { p[(y * side + x) * 3] = 240 } }
        }
        try writeJPEG(image, to: path("huge.JPEG"), quality: 75)
        let x = try loadImage(path("huge.JPEG"), size: 64)
        let left = x[32][8].toArray(), right = x[32][56].toArray()
        #expect(abs(left[0] - 240 / 255) < 0.03 && abs(right[0] - 40 / 255) < 0.03)
        #expect(abs(left[2] - 160 / 255) < 0.03)
    }

    @Test func resizeIsAntialiased() throws {
        // One-pixel black and white columns shrunk 4× must average to grey, not alias to one colour.
        var stripes = RGBImage(width: 256, height: 64)
        for y in 0..<64 { for x in 0..<256 where x % 2 == 0 { stripes[x, y] = (0, 0, 0) } }
        var out = [Float](repeating: -1, count: 64 * 16 * 3)
        let resizer = ImageResizer()
        stripes.pixels.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                resizer.resize(
                    p.baseAddress!, width: 256, height: 64, into: o.baseAddress!, outWidth: 64, outHeight: 16)
            }
        }
        // Away from the borders every output is grey; at the borders the kernel is cut off and the
        // first column leans to black, as in PIL (which gives 118/255 there for this input).
        for y in 0..<16 {
            for x in 2..<62 { #expect(abs(out[(y * 64 + x) * 3] - 0.5) < 0.01) }
            let edge: Float = 118 / 255
            #expect(abs(out[y * 64 * 3] - edge) < 0.01)
        }
        // A ramp stays a ramp.
        let ramp = makeRampImage(width: 160, height: 100)
        var small = [Float](repeating: 0, count: 64 * 64 * 3)
        ramp.pixels.withUnsafeBufferPointer { p in
            small.withUnsafeMutableBufferPointer { o in
                resizer.resize(
                    p.baseAddress!, width: 160, height: 100, into: o.baseAddress!, outWidth: 64, outHeight: 64)
            }
        }
        for x in 1..<63 { #expect(small[(10 * 64 + x) * 3] > small[(10 * 64 + x - 1) * 3]) }
        let middleBlue: Float = 100 / 255
        #expect(abs(small[(10 * 64 + 32) * 3 + 2] - middleBlue) < 0.002)
    }

    /// `loadImageKeepingChannels` is `tensor(Image.open(fn))` before `convert('RGB')`: one channel
    /// (no channel axis) for a grayscale file, three for RGB, four for CMYK.
    @Test func keepingChannelsFollowsTheFile() throws {
        let image = makeRampImage(width: 64, height: 48)
        try writeJPEG(image, to: path("keep-gray.JPEG"), colorModel: .grayscale)
        try writeJPEG(image, to: path("keep-rgb.JPEG"), quality: 95)
        let gray = try loadImageKeepingChannels(path("keep-gray.JPEG"))
        #expect(gray.shape == [48, 64])
        // The converted picture repeats the file's one channel three times.
        let converted = Tensor(try loadImage(path("keep-gray.JPEG"))).toArray()
        let plane = gray.toArray()
        let repeated = (0..<plane.count).allSatisfy { (i: Int) -> Bool in
            (0..<3).allSatisfy { (channel: Int) -> Bool in converted[3 * i + channel] == plane[i] }
        }
        #expect(repeated)
        let rgb = try loadImageKeepingChannels(path("keep-rgb.JPEG"))
        #expect(rgb.shape == [48, 64, 3])
        #expect(rgb.toArray() == Tensor(try loadImage(path("keep-rgb.JPEG"))).toArray())

        // CMYK as PIL gives it: 0 = no ink. (200, 30, 40) is K = 55 and C, M, Y = 0, 217, 204.
        var red = RGBImage(width: 16, height: 16)
        for y in 0..<16 { for x in 0..<16 { red[x, y] = (200, 30, 40) } }
        try writeJPEG(red, to: path("keep-cmyk.JPEG"), quality: 95, colorModel: .cmyk)
        let cmyk = try loadImageKeepingChannels(path("keep-cmyk.JPEG"))
        #expect(cmyk.shape == [16, 16, 4])
        let ink = Array(cmyk.toArray()[(8 * 16 + 8) * 4..<(8 * 16 + 9) * 4])
        #expect(zip(ink, [0, 217, 204, 55] as [Float]).allSatisfy { abs($0 - $1) < 10 }, "\(ink)")

        // PNGs: a colour one keeps three channels, a grayscale one (colour type 0) has none.
        try writePNG(image, to: path("keep-rgb.png"))
        #expect(try loadImageKeepingChannels(path("keep-rgb.png")).shape == [48, 64, 3])
        try grayPNG(width: 3, height: 2, pixels: [0, 50, 100, 150, 200, 250])
            .write(to: URL(fileURLWithPath: path("keep-gray.png")))
        let grayPNG = try loadImageKeepingChannels(path("keep-gray.png"))
        #expect(grayPNG.shape == [2, 3] && grayPNG.toArray() == [0, 50, 100, 150, 200, 250])
        let pixel = try loadImage(path("keep-gray.png"))[1, 1]
        #expect(pixel.0 == 200 && pixel.1 == 200 && pixel.2 == 200)
    }

    /// An 8-bit grayscale PNG, written by hand (the workbook's writer only writes RGB): the image data
    /// is one stored, uncompressed deflate block.
    func grayPNG(width: Int, height: Int, pixels: [UInt8]) -> Data {
        func crc32(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return ~crc
        }
        func bigEndian(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((v >> $0) & 0xFF) } }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            return bigEndian(UInt32(body.count)) + typed + bigEndian(crc32(typed))
        }
        var raw: [UInt8] = []  // each row starts with filter type 0
        for y in 0..<height { raw += [0] + pixels[(y * width)..<((y + 1) * width)] }
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        let n = UInt16(raw.count)
        let zlib: [UInt8] =
            [0x78, 0x01, 0x01, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + raw
            + bigEndian(b << 16 | a)
        let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 0, 0, 0, 0]
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        return Data(signature + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", []))
    }
}
