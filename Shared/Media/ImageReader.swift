import Engine
import Foundation
import Support

#if canImport(Glibc)
    import Glibc
#endif

/// The chapter's `Image.open(fn).resize((64,64)).convert('RGB')`, fast: buffers reused, JPEGs decoded
/// at a reduced DCT scale, output resampled straight into the caller's floats. One per thread.
public final class ImageReader {
    private let jpeg = JPEGDecoder()
    private let resizer = ImageResizer()
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// Whether JPEGs are shrunk by 1/2, 1/4 or 1/8 inside libjpeg before resampling when the target
    /// allows (on by default; off only to measure what it saves).
    public var dctScaling = true

    /// A reader with empty buffers.
    public init() {
        capacity = 256 << 10
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// The whole file at `path` in the reusable buffer.
    private func readFile(_ path: String) throws -> UnsafeRawBufferPointer {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImageFileError(path: path, message: "cannot open: \(systemMessage())") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ImageFileError(path: path, message: systemMessage()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ImageFileError(path: path, message: "not a regular file")
        }
        let size = Int(info.st_size)
        if size > capacity {
            buffer.deallocate()
            capacity = size
            buffer = .allocate(byteCount: capacity, alignment: 16)
        }
        var done = 0
        while done < size {
            let n = Glibc.read(fd, buffer + done, size - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ImageFileError(path: path, message: "read failed: \(systemMessage())")
            }
            if n == 0 { break }  // the file shrank while we read it
            done += n
        }
        return UnsafeRawBufferPointer(start: buffer, count: done)
    }

    /// What the first bytes say the file is.
    private enum Format { case jpeg, png }

    private func format(of bytes: UnsafeRawBufferPointer, path: String) throws -> Format {
        if bytes.isEmpty { throw ImageFileError(path: path, message: "empty file (0 bytes)") }
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        if bytes.count >= 8, zip(bytes.prefix(8), pngSignature).allSatisfy({ $0 == $1 }) { return .png }
        let head = bytes.prefix(4)
        let kind: String
        if head.starts(with: Array("GIF8".utf8)) {
            kind = "a GIF image"
        } else if head.starts(with: Array("BM".utf8)) {
            kind = "a BMP image"
        } else if head.starts(with: Array("RIFF".utf8)) {
            kind = "a RIFF (WebP?) file"
        } else if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
            kind = "a TIFF image"
        } else {
            let hex = bytes.prefix(8).map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
            throw ImageFileError(path: path, message: "not a JPEG or PNG file (starts with bytes \(hex))")
        }
        throw ImageFileError(path: path, message: "\(kind); only JPEG and PNG files can be decoded")
    }

    /// Decodes the image at `path` at full size as RGB (`Image.open(path).convert('RGB')`).
    public func read(_ path: String) throws -> RGBImage {
        let bytes = try readFile(path)
        switch try format(of: bytes, path: path) {
        case .png:
            return try decodePNG(bytes, path: path)
        case .jpeg:
            return try jpeg.decode(bytes, path: path) { pixels, width, height in
                RGBImage(
                    width: width, height: height,
                    pixels: Array(UnsafeBufferPointer(start: pixels, count: width * height * 3)))
            }
        }
    }

    /// Decodes the image at `path` at full size keeping the file's channels, as PIL's `Image.open`
    /// does before any `convert`: a grayscale file gives a `[H, W]` tensor, an RGB one `[H, W, 3]`,
    /// a CMYK JPEG `[H, W, 4]` (0 = no ink). Values are 0…255, like `tensor(Image.open(path))`.
    /// PNGs are told apart only as grayscale or colour; an alpha channel is dropped.
    public func readKeepingChannels(_ path: String) throws -> Tensor {
        let bytes = try readFile(path)
        switch try format(of: bytes, path: path) {
        case .png:
            // The colour type is byte 25: in the IHDR chunk, after width, height and bit depth.
            let gray = bytes.count > 25 && (bytes[25] == 0 || bytes[25] == 4)
            let image = try decodePNG(bytes, path: path)
            if !gray { return Tensor(image) }
            // libpng expands gray to three equal channels; the first is the file's one.
            return Tensor(shape: [image.height, image.width]) { out in
                for i in 0..<(image.width * image.height) { out[i] = Float(image.pixels[3 * i]) }
            }
        case .jpeg:
            return try jpeg.decodeKeepingChannels(bytes, path: path) { pixels, width, height, channels in
                Tensor(shape: channels == 1 ? [height, width] : [height, width, channels]) { out in
                    for i in 0..<(width * height * channels) { out[i] = Float(pixels[i]) }
                }
            }
        }
    }

    /// Decodes the image at `path`, resizes it to `width × height` (antialiased bicubic) and writes
    /// it to `destination` as `height × width × 3` floats in [0, 1] — HWC, like `tensor(im)/255`.
    /// The hot path of the DataLoader: no allocation once the buffers have grown.
    public func read(
        _ path: String, resizedTo width: Int, _ height: Int,
        into destination: UnsafeMutablePointer<Float>
    ) throws {
        let bytes = try readFile(path)
        switch try format(of: bytes, path: path) {
        case .png:
            let image = try decodePNG(bytes, path: path)
            image.pixels.withUnsafeBufferPointer { p in
                resizer.resize(
                    p.baseAddress!, width: image.width, height: image.height,
                    into: destination, outWidth: width, outHeight: height)
            }
        case .jpeg:
            try jpeg.decode(bytes, path: path, minimumSize: dctScaling ? (width, height) : nil) { pixels, w, h in
                resizer.resize(pixels, width: w, height: h, into: destination, outWidth: width, outHeight: height)
            }
        }
    }
}

/// The C library's description of the last system error.
func systemMessage() -> String { String(cString: strerror(errno)) }

/// One reader per thread for the one-off calls below, so they reuse buffers too.
private let threadReaderKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { raw in
        if let raw { Unmanaged<ImageReader>.fromOpaque(raw).release() }
    }
    return key
}()

/// This thread's reader.
func currentThreadReader() -> ImageReader {
    if let raw = pthread_getspecific(threadReaderKey) {
        return Unmanaged<ImageReader>.fromOpaque(raw).takeUnretainedValue()
    }
    let reader = ImageReader()
    pthread_setspecific(threadReaderKey, Unmanaged.passRetained(reader).toOpaque())
    return reader
}

/// Opens the image at `path` as RGB at full size: the chapter's `Image.open(files[0])`, with PIL's
/// `convert('RGB')` applied (grayscale and CMYK files come back as RGB).
public func loadImage(_ path: String) throws -> RGBImage {
    try currentThreadReader().read(path)
}

/// The chapter's `tensor(Image.open(fn))`, unconverted: `[H, W]`, `[H, W, 3]` or CMYK's `[H, W, 4]`,
/// values 0…255, which shows why the chapter calls `convert('RGB')`.
public func loadImageKeepingChannels(_ path: String) throws -> Tensor {
    try currentThreadReader().readKeepingChannels(path)
}

/// Opens the image at `path`, squeezed to `size × size`, as a `[size, size, 3]` tensor in [0, 1]:
/// the chapter's `tensor(Image.open(fn).resize((64,64)).convert('RGB')).float()/255`.
public func loadImage(_ path: String, size: Int) throws -> Tensor {
    let reader = currentThreadReader()
    return try Tensor(shape: [size, size, 3]) { buffer in
        try reader.read(path, resizedTo: size, size, into: buffer.baseAddress!)
    }
}
