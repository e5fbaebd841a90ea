import CImageIO
import Foundation

/// A libjpeg decoder kept per thread, so a stream of files allocates nothing; failures come back as
/// `ImageFileError` (CImageIO keeps libjpeg from exiting the process).
public final class JPEGDecoder {
    fileprivate let handle: OpaquePointer

    /// Decoded output larger than this is refused (a corrupt or hostile header must not allocate
    /// gigabytes): 1 GiB of RGB, about 18 000 × 18 000 pixels at full scale.
    public static let maxOutputBytes = 1 << 30

    /// A decoder with its own libjpeg state.
    public init() {
        guard let handle = cimg_jpeg_decoder_new() else {
            // Only possible when malloc fails for a few kilobytes.
            fatalError("JPEGDecoder: libjpeg could not allocate a decompressor")
        }
        self.handle = handle
    }

    deinit { cimg_jpeg_decoder_free(handle) }

    /// Decodes the JPEG `bytes` (read from `path`, which only names the file in errors) to RGB and
    /// hands the pixels to `body` without copying them. With a `minimumSize`, libjpeg shrinks by 1/2,
    /// 1/4 or 1/8 inside the DCT while the result stays at least that big.
    ///
    /// pixels: `height * width * 3` bytes, valid only inside `body`.
    public func decode<R>(
        _ bytes: UnsafeRawBufferPointer, path: String,
        minimumSize: (width: Int, height: Int)? = nil,
        _ body: (_ pixels: UnsafePointer<UInt8>, _ width: Int, _ height: Int) throws -> R
    ) throws -> R {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw ImageFileError(path: path, message: "empty file")
        }
        var pixels: UnsafePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0, sourceWidth: Int32 = 0, sourceHeight: Int32 = 0
        let status = cimg_jpeg_decode(
            handle, base.assumingMemoryBound(to: UInt8.self), bytes.count,
            Int32(minimumSize?.width ?? 0), Int32(minimumSize?.height ?? 0),
            JPEGDecoder.maxOutputBytes,
            &pixels, &width, &height, &sourceWidth, &sourceHeight)
        guard status == 0, let pixels else {
            throw ImageFileError(path: path, message: String(cString: cimg_jpeg_decoder_error(handle)))
        }
        return try body(pixels, Int(width), Int(height))
    }
}

extension JPEGDecoder {
    /// Decodes the JPEG `bytes` at full size keeping the file's channels, as PIL's `Image.open` does
    /// before any `convert`: 1 for a grayscale file, 4 for CMYK (0 = no ink), 3 (RGB) for the rest.
    /// Hands `body` the pixels, `height * width * channels` bytes valid only inside `body`.
    public func decodeKeepingChannels<R>(
        _ bytes: UnsafeRawBufferPointer, path: String,
        _ body: (_ pixels: UnsafePointer<UInt8>, _ width: Int, _ height: Int, _ channels: Int) throws -> R
    ) throws -> R {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw ImageFileError(path: path, message: "empty file")
        }
        var pixels: UnsafePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0, channels: Int32 = 0
        let status = cimg_jpeg_decode_native(
            handle, base.assumingMemoryBound(to: UInt8.self), bytes.count, JPEGDecoder.maxOutputBytes,
            &pixels, &width, &height, &channels)
        guard status == 0, let pixels else {
            throw ImageFileError(path: path, message: String(cString: cimg_jpeg_decoder_error(handle)))
        }
        return try body(pixels, Int(width), Int(height), Int(channels))
    }
}

/// How `writeJPEG` stores the colours.
public enum JPEGColorModel: Sendable {
    /// Three channels (stored as YCbCr), the usual photo.
    case rgb
    /// One channel of luminance (ITU-R 601 weights, as PIL's `convert('L')`).
    case grayscale
    /// Four ink channels in Adobe's inverted convention (stored as YCCK), as Photoshop writes them.
    case cmyk
}

/// Writes `image` as a JPEG at `path`, leaving no partial file when it throws `ImageFileError`.
public func writeJPEG(
    _ image: RGBImage, to path: String, quality: Int = 90,
    progressive: Bool = false, colorModel: JPEGColorModel = .rgb
) throws {
    var error = [CChar](repeating: 0, count: Int(CIMG_ERROR_CAPACITY))
    let n = image.width * image.height
    let samples: [UInt8]
    let kind: cimg_jpeg_kind
    switch colorModel {
    case .rgb:
        samples = image.pixels
        kind = CIMG_JPEG_RGB
    case .grayscale:
        samples = [UInt8](unsafeUninitializedCapacity: n) { out, initialized in
            image.pixels.withUnsafeBufferPointer { p in
                for i in 0..<n {
                    let r = UInt32(p[3 * i]), g = UInt32(p[3 * i + 1]), b = UInt32(p[3 * i + 2])
                    out[i] = UInt8((r * 299 + g * 587 + b * 114 + 500) / 1000)
                }
            }
            initialized = n
        }
        kind = CIMG_JPEG_GRAY
    case .cmyk:
        // Black takes what the three colours share; Adobe stores every ink inverted (255 = none).
        samples = [UInt8](unsafeUninitializedCapacity: 4 * n) { out, initialized in
            image.pixels.withUnsafeBufferPointer { p in
                for i in 0..<n {
                    let r = Int(p[3 * i]), g = Int(p[3 * i + 1]), b = Int(p[3 * i + 2])
                    let white = max(r, g, b)  // 255 - K
                    if white == 0 {
                        out[4 * i] = 255
                        out[4 * i + 1] = 255
                        out[4 * i + 2] = 255
                        out[4 * i + 3] = 0
                        continue
                    }
                    // Inverted C = 255 - C = 255 * r / white, and likewise for M, Y; inverted K = white.
                    out[4 * i] = UInt8((255 * r + white / 2) / white)
                    out[4 * i + 1] = UInt8((255 * g + white / 2) / white)
                    out[4 * i + 2] = UInt8((255 * b + white / 2) / white)
                    out[4 * i + 3] = UInt8(white)
                }
            }
            initialized = 4 * n
        }
        kind = CIMG_JPEG_CMYK
    }
    let status = samples.withUnsafeBufferPointer { s in
        cimg_jpeg_write(
            path, s.baseAddress, Int32(image.width), Int32(image.height), kind,
            Int32(max(1, min(100, quality))), progressive ? 1 : 0, &error)
    }
    if status != 0 { throw ImageFileError(path: path, message: String(cString: error)) }
}
