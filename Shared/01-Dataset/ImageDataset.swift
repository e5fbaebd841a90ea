import Foundation

/// The chapter's `Dataset`: sample `i` is `Image.open(fn).resize((64,64)).convert('RGB')` as
/// `[size, size, 3]` floats in [0, 1], labelled by its folder's class number.
public struct ImageDataset: Dataset {
    /// The image files, in sample order.
    public let files: [URL]
    /// Class number of each folder name (`v2i`).
    public let val2idx: [String: Int]
    /// Side of the square every image is resized to.
    public let size: Int
    /// `files` as paths, computed once: `URL.path` costs more than decoding's bookkeeping.
    private let paths: [String]

    /// A dataset over `files` labelled through `val2idx` (`Dataset(train)` in the chapter, which
    /// reads `v2i` from a global; here it is passed in).
    public init(_ files: [URL], val2idx: [String: Int], size: Int = 64) {
        self.files = files
        self.val2idx = val2idx
        self.size = size
        self.paths = files.map(\.path)
    }

    /// `len(ds)`.
    public var count: Int { files.count }

    /// `[size, size, 3]`.
    public var itemShape: [Int] { [size, size, 3] }

    /// The class number of file `i`, or an error naming the file when its folder has no number.
    public func label(_ i: Int) throws -> Int {
        guard let label = val2idx[files[i].parentName] else {
            throw DataError(path: files[i].path, message: "folder \"\(files[i].parentName)\" is not among the labels")
        }
        return label
    }

    /// Sample `i`: `x` `[size, size, 3]` in [0, 1], `y` the class number as a scalar tensor.
    /// Throws `ImageFileError` naming the file when it cannot be decoded.
    public subscript(i: Int) -> (x: Tensor, y: Tensor) {
        get throws {
            precondition(i >= 0 && i < count, "ImageDataset: index \(i) out of range 0..<\(count)")
            let y = try label(i)
            return (try loadImage(paths[i], size: size), Tensor(Float(y)))
        }
    }

    /// A writer with its own `ImageReader`, decoding straight into batch memory.
    public func makeItemWriter() -> any DatasetItemWriter { Writer(self) }

    final class Writer: DatasetItemWriter {
        let dataset: ImageDataset
        let reader = ImageReader()
        init(_ dataset: ImageDataset) { self.dataset = dataset }

        func write(_ i: Int, into x: UnsafeMutableBufferPointer<Float>) throws -> Float {
            let y = try dataset.label(i)
            try reader.read(dataset.paths[i], resizedTo: dataset.size, dataset.size, into: x.baseAddress!)
            return Float(y)
        }
    }
}
