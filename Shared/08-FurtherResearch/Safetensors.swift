import Foundation

/// One tensor of a safetensors file: its shape and its numbers, row-major.
public struct SafetensorsEntry: Equatable, Sendable {
    /// The tensor's shape, e.g. `[16, 3, 3, 3]`.
    public var shape: [Int]
    /// Its elements in row-major order.
    public var values: [Float]

    /// An entry; `values.count` must be the product of `shape`.
    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }
}

/// A safetensors file that cannot be read: the file, the tensor to blame if any, and the problem.
public struct SafetensorsError: Error, LocalizedError, Equatable {
    /// The file (or a description of the bytes) being read.
    public var file: String
    /// The tensor the problem is about, or nil for the file as a whole.
    public var tensor: String?
    /// What is wrong.
    public var problem: String

    /// An error about `file` (and `tensor`, when one is to blame).
    public init(file: String, tensor: String? = nil, problem: String) {
        self.file = file
        self.tensor = tensor
        self.problem = problem
    }

    public var errorDescription: String? {
        if let tensor { return "\(file): tensor \"\(tensor)\": \(problem)" }
        return "\(file): \(problem)"
    }
}

/// `safetensors.torch.save_file`'s format: named tensors and nothing that runs, unlike a pickled
/// `.pth`. An 8-byte little-endian header length, the JSON header, the tensors' bytes.
/// Only `F32`; `encode` lays the header out as the Python package does, to the byte.
public enum Safetensors {
    /// Headers larger than this are refused before they are read: the Python package's own limit,
    /// and a guard against a corrupt length asking for gigabytes.
    public static let maxHeaderBytes = 100_000_000

    /// The bytes of a safetensors file holding `tensors` (name → entry) and `metadata`.
    public static func encode(_ tensors: [String: SafetensorsEntry], metadata: [String: String] = [:]) -> Data {
        let names = tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var parts: [String] = []
        if !metadata.isEmpty {
            let fields = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map {
                jsonString($0) + ":" + jsonString(metadata[$0]!)
            }
            parts.append("\"__metadata__\":{" + fields.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in names {
            let entry = tensors[name]!
            precondition(
                entry.values.count == entry.shape.reduce(1, *),
                "Safetensors.encode: \(name) has \(entry.values.count) values for shape \(entry.shape)")
            let end = offset + 4 * entry.values.count
            let shape = entry.shape.map(String.init).joined(separator: ",")
            parts.append(
                jsonString(name) + ":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
        // Padding keeps the tensors' bytes 8-aligned when the file is memory-mapped.
        while header.count % 8 != 0 { header.append(0x20) }
        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for name in names {
            for value in tensors[name]!.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// The tensors and metadata in `data`, after checking the whole layout: header length, JSON,
    /// every entry's dtype, shape and offsets, and that the byte ranges tile the data exactly.
    /// `file` names the source in errors.
    public static func decode(_ data: Data, file: String) throws -> (
        tensors: [String: SafetensorsEntry], metadata: [String: String]
    ) {
        func fail(_ problem: String, tensor: String? = nil) -> SafetensorsError {
            SafetensorsError(file: file, tensor: tensor, problem: problem)
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else {
            throw fail("only \(bytes.count) bytes: too short for the 8-byte header length (truncated?)")
        }
        let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(maxHeaderBytes) else {
            throw fail("header length \(headerLength) is implausibly large (not a safetensors file?)")
        }
        let headerEnd = 8 + Int(headerLength)
        guard headerEnd <= bytes.count else {
            throw fail(
                "the header says it is \(headerLength) bytes but the file has \(bytes.count - 8) after the length (truncated?)"
            )
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw fail("the header is not valid JSON (\(error.localizedDescription))")
        }
        guard let header = json as? [String: Any] else { throw fail("the header is not a JSON object") }

        var metadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let fields = raw as? [String: Any] else { throw fail("__metadata__ is not an object") }
            for (key, value) in fields {
                guard let text = value as? String else { throw fail("__metadata__ \"\(key)\" is not a string") }
                metadata[key] = text
            }
        }

        let dataLength = bytes.count - headerEnd
        var ranges: [(name: String, begin: Int, end: Int)] = []
        var shapes: [String: [Int]] = [:]
        for (name, raw) in header where name != "__metadata__" {
            guard let fields = raw as? [String: Any] else { throw fail("entry is not an object", tensor: name) }
            guard let dtype = fields["dtype"] as? String else { throw fail("no dtype", tensor: name) }
            guard dtype == "F32" else {
                throw fail("dtype \(dtype) is not supported: this engine reads F32 (float32) only", tensor: name)
            }
            guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("shape is not a list of non-negative integers", tensor: name)
            }
            guard let offsets = integers(fields["data_offsets"]), offsets.count == 2, offsets[0] >= 0,
                offsets[0] <= offsets[1]
            else {
                throw fail("data_offsets is not [begin, end] with 0 ≤ begin ≤ end", tensor: name)
            }
            // A corrupt shape must not overflow the arithmetic (a trap) before it is reported.
            var elements = 1
            for size in shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: size)
                guard !overflow, product <= Int.max / 4 else {
                    throw fail("shape \(shape) is impossibly large", tensor: name)
                }
                elements = product
            }
            let expected = 4 * elements
            guard offsets[1] - offsets[0] == expected else {
                throw fail(
                    "data_offsets \(offsets) span \(offsets[1] - offsets[0]) bytes, but F32 \(shape) needs \(expected)",
                    tensor: name)
            }
            guard offsets[1] <= dataLength else {
                throw fail(
                    "its bytes end at \(offsets[1]) but the file holds \(dataLength) bytes of data (truncated?)",
                    tensor: name)
            }
            ranges.append((name, offsets[0], offsets[1]))
            shapes[name] = shape
        }
        // The format requires the tensors to cover the data exactly: no holes, no overlaps.
        ranges.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for range in ranges {
            guard range.begin == covered else {
                throw fail(
                    range.begin < covered
                        ? "its bytes overlap another tensor's" : "a gap of \(range.begin - covered) bytes precedes it",
                    tensor: range.name)
            }
            covered = range.end
        }
        guard covered == dataLength else {
            throw fail("\(dataLength - covered) bytes after the last tensor belong to no tensor")
        }

        var tensors: [String: SafetensorsEntry] = [:]
        for range in ranges {
            let count = (range.end - range.begin) / 4
            let start = headerEnd + range.begin
            let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    let b = start + 4 * i
                    let bits =
                        UInt32(bytes[b]) | UInt32(bytes[b + 1]) << 8 | UInt32(bytes[b + 2]) << 16
                        | UInt32(bytes[b + 3]) << 24
                    buffer[i] = Float(bitPattern: bits)
                }
                initialized = count
            }
            tensors[range.name] = SafetensorsEntry(shape: shapes[range.name]!, values: values)
        }
        return (tensors, metadata)
    }

    /// Reads and decodes the file at `url`; errors name the file.
    public static func read(_ url: URL) throws -> (tensors: [String: SafetensorsEntry], metadata: [String: String]) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafetensorsError(file: url.path, problem: "cannot be read (\(error.localizedDescription))")
        }
        return try decode(data, file: url.path)
    }

    /// A JSON array of integers as `[Int]`, or nil (JSONSerialization gives `NSNumber`s; a fraction
    /// is refused).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in array {
            guard let number = item as? NSNumber, let int = Int(exactly: number.doubleValue) else { return nil }
            result.append(int)
        }
        return result
    }

    /// `text` as a JSON string literal.
    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
