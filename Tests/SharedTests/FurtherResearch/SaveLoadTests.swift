import Foundation
import Testing

@testable import Shared

/// The files `make_safetensors_fixtures.py` wrote with PyTorch: the simple CNN's twin and a batch with
/// its logits.
enum SafetensorsFixtures {
    static func url(_ name: String) throws -> URL {
        try #require(
            Bundle.module.url(forResource: name, withExtension: "safetensors", subdirectory: "Safetensors"),
            "fixture \(name).safetensors is missing from the test bundle")
    }
    static func model() throws -> URL { try url("simple_cnn_torch") }
    static func batch() throws -> (x: Tensor, logits: Tensor) {
        let tensors = try Safetensors.read(try url("simple_cnn_batch")).tensors
        let x = try #require(tensors["x"]), logits = try #require(tensors["logits"])
        return (Tensor(x.values, shape: x.shape), Tensor(logits.values, shape: logits.shape))
    }
}

/// A fresh folder under the temporary directory, removed by the caller.
func makeScratchFolder(_ label: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("workbook-\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.toArray(), b.toArray()).map { abs($0 - $1) }.max() ?? 0
}

@Suite("Save and load (safetensors, PyTorch names)")
struct SaveLoadTests {
    @Test("simpleCNN's names and shapes are PyTorch's state_dict() of its nn.Sequential twin")
    func namesMatchPyTorch() throws {
        let theirs = try Safetensors.read(try SafetensorsFixtures.model()).tensors
        let ours = simpleCNN().stateDict()
        #expect(ours.keys.sorted() == theirs.keys.sorted())
        for (name, entry) in theirs { #expect(ours[name]?.shape == entry.shape, "\(name)") }
        #expect(stateDictEntries(of: simpleCNN()).map(\.name).first == "0.0.weight")
        #expect(stateDictEntries(of: simpleCNN()).map(\.name).last == "5.bias")
    }

    @Test("a file PyTorch saved loads here and gives PyTorch's logits")
    func pyTorchFileGivesPyTorchLogits() throws {
        let model = simpleCNN()
        let metadata = try model.load(from: try SafetensorsFixtures.model())
        #expect(metadata == ["format": "pt"])
        let (x, logits) = try SafetensorsFixtures.batch()
        let ours = noGrad { model(x) }
        #expect(ours.shape == [2, 10])
        let difference = maxAbsDifference(ours, logits)
        #expect(difference <= 1e-4, "max abs difference \(difference)")
        if let export = ProcessInfo.processInfo.environment["SAFETENSORS_EXPORT_DIR"], !export.isEmpty {
            try Safetensors.encode(["logits": SafetensorsEntry(shape: ours.shape, values: ours.toArray())])
                .write(to: URL(fileURLWithPath: export).appendingPathComponent("fixture_logits.safetensors"))
        }
        // The logits are of order 1, so agreement is not an accident of small numbers.
        #expect((logits.toArray().map(abs).max() ?? 0) > 0.5)
    }

    @Test("saving PyTorch's weights again writes PyTorch's bytes exactly")
    func savedBytesEqualPyTorchFile() throws {
        let folder = try makeScratchFolder("same-bytes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = simpleCNN()
        try model.load(from: try SafetensorsFixtures.model())
        let file = folder.appendingPathComponent("copy.safetensors")
        try model.save(to: file, metadata: ["format": "pt"])
        #expect(try Data(contentsOf: file) == (try Data(contentsOf: try SafetensorsFixtures.model())))
    }

    /// Also the fixture of the other direction: with `SAFETENSORS_EXPORT_DIR` set, the model and its
    /// logits land there for `make_safetensors_fixtures.py --check` to load in PyTorch (the test
    /// above leaves the workbook's logits of PyTorch's model there too, for the figure).
    @Test("a file saved here loads back with the same weights and logits")
    func savedFileLoadsBack() throws {
        let folder = try makeScratchFolder("round-trip")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Weights unlike the fixture's: PyTorch's after three SGD steps here.
        let model = simpleCNN()
        try model.load(from: try SafetensorsFixtures.model())
        let (x, _) = try SafetensorsFixtures.batch()
        let opt = SGD(model.parameters(), lr: 0.1)
        for _ in 0..<3 {
            crossEntropy(model(x), Tensor([3, 7])).backward()
            opt.step()
        }
        let logits = noGrad { model(x) }
        #expect((logits.toArray().map(abs).max() ?? 0) < 10)
        var folders = [folder]
        if let export = ProcessInfo.processInfo.environment["SAFETENSORS_EXPORT_DIR"], !export.isEmpty {
            folders.append(URL(fileURLWithPath: export, isDirectory: true))
        }
        for target in folders {
            try model.save(to: target.appendingPathComponent("model.safetensors"))
            try Safetensors.encode(["logits": SafetensorsEntry(shape: logits.shape, values: logits.toArray())])
                .write(to: target.appendingPathComponent("logits.safetensors"))
        }
        let copy = simpleCNN()
        try copy.load(from: folder.appendingPathComponent("model.safetensors"))
        for (a, b) in zip(model.parameters(), copy.parameters()) { #expect(a.toArray() == b.toArray()) }
        #expect(noGrad { copy(x) }.toArray() == logits.toArray())
        let learn = Learner(
            copy, DataLoaders(InMemoryBatches(x: x, y: x, bs: 1), InMemoryBatches(x: x, y: x, bs: 1)),
            lossFunc: crossEntropy, lr: 0.1)
        let saved = try learn.save("stage1", path: folder)
        #expect(saved.path == folder.appendingPathComponent("models/stage1.safetensors").path)
        try learn.load("stage1", path: folder)
    }

    // MARK: - Bad files

    /// The fixture's bytes with the header's text `old` replaced by `new` (same length, so offsets hold).
    func patchedHeader(_ old: String, _ new: String) throws -> Data {
        precondition(old.utf8.count == new.utf8.count)
        var bytes = [UInt8](try Data(contentsOf: try SafetensorsFixtures.model()))
        let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        let range = try #require(header.range(of: old), "\(old) not in the fixture's header")
        let patched = Array(header.replacingCharacters(in: range, with: new).utf8)
        bytes.replaceSubrange(8..<(8 + length), with: patched)
        return Data(bytes)
    }

    /// Loads `data` into a model and returns the error, after checking the model was left untouched.
    func loadError(_ data: Data, _ name: String) throws -> SafetensorsError {
        let folder = try makeScratchFolder("bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try data.write(to: file)
        let model = simpleCNN()
        let before = model.parameters().map { $0.toArray() }
        var caught: SafetensorsError?
        do { try model.load(from: file) } catch let error as SafetensorsError { caught = error }
        let error = try #require(caught, "\(name) loaded without an error")
        #expect(model.parameters().map { $0.toArray() } == before, "\(name): the model was changed")
        #expect(error.file == file.path)
        #expect(error.localizedDescription.contains(file.path))
        return error
    }

    @Test("a truncated file names the tensor cut short")
    func truncated() throws {
        let full = try Data(contentsOf: try SafetensorsFixtures.model())
        let error = try loadError(full.prefix(full.count - 100), "truncated.safetensors")
        #expect(error.tensor == "5.weight")
        #expect(error.problem.contains("truncated"))
        let tiny = try loadError(full.prefix(5), "tiny.safetensors")
        #expect(tiny.tensor == nil && tiny.problem.contains("too short"))
        let headerCut = try loadError(full.prefix(200), "header-cut.safetensors")
        #expect(headerCut.problem.contains("the header says"))
    }

    @Test("a tensor of the wrong shape is named with both shapes")
    func wrongShape() throws {
        let error = try loadError(try patchedHeader("[10,128]", "[128,10]"), "shape.safetensors")
        #expect(error.tensor == "5.weight")
        #expect(error.problem.contains("[128, 10]") && error.problem.contains("[10, 128]"))
    }

    @Test("a missing or unexpected tensor is named")
    func missingAndUnexpected() throws {
        var tensors = try Safetensors.read(try SafetensorsFixtures.model()).tensors
        let bias = tensors.removeValue(forKey: "3.0.bias")
        let missing = try loadError(Safetensors.encode(tensors), "missing.safetensors")
        #expect(missing.tensor == "3.0.bias" && missing.problem.contains("missing"))
        tensors["3.0.bias"] = bias
        tensors["6.weight"] = SafetensorsEntry(shape: [1], values: [0])
        let extra = try loadError(Safetensors.encode(tensors), "extra.safetensors")
        #expect(extra.tensor == "6.weight" && extra.problem.contains("unexpected"))
    }

    @Test("another dtype is refused, naming the tensor and the dtype")
    func otherDType() throws {
        let error = try loadError(
            try patchedHeader("\"0.0.bias\":{\"dtype\":\"F32\"", "\"0.0.bias\":{\"dtype\":\"F64\""), "f64.safetensors")
        #expect(error.tensor == "0.0.bias" && error.problem.contains("F64"))
    }

    @Test("a header that is not JSON, or lies about lengths, is refused")
    func badHeader() throws {
        let json = try loadError(try patchedHeader("{\"__metadata__\"", "[\"__metadata__\""), "json.safetensors")
        #expect(json.problem.contains("not valid JSON"))
        var huge = [UInt8](try Data(contentsOf: try SafetensorsFixtures.model()))
        huge[7] = 0x7f
        #expect(try loadError(Data(huge), "huge.safetensors").problem.contains("implausibly large"))
        let offsets = try loadError(
            try patchedHeader("\"data_offsets\":[0,64]", "\"data_offsets\":[0,60]"), "offsets.safetensors")
        #expect(offsets.tensor == "0.0.bias" && offsets.problem.contains("needs 64"))
        let header = Array(#"{"w":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,4]}}"#.utf8)
        var overflowing = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Data($0) }
        overflowing.append(contentsOf: header + [0, 0, 0, 0])
        let overflow = try loadError(overflowing, "overflow.safetensors")
        #expect(overflow.tensor == "w" && overflow.problem.contains("impossibly large"))
    }

    // MARK: - Saving safely

    @Test("an interrupted save leaves the previous file whole and no temporary file behind")
    func interruptedSave() throws {
        let folder = try makeScratchFolder("interrupted")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("stage1.safetensors")
        let model = simpleCNN()
        try model.save(to: file)
        let previous = try Data(contentsOf: file)
        struct PowerCut: Error {}
        let newer = Safetensors.encode(["x": SafetensorsEntry(shape: [1], values: [1])])
        #expect(throws: SafetensorsError.self) {
            try writeAtomically(newer, to: file) { temporary in
                // The new bytes are complete beside the old file, and the old one is untouched.
                #expect(try Data(contentsOf: temporary) == newer)
                throw PowerCut()
            }
        }
        #expect(try Data(contentsOf: file) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["stage1.safetensors"])
        // A save that completes replaces the file.
        try writeAtomically(newer, to: file)
        #expect(try Data(contentsOf: file) == newer)
    }

    @Test("loading a name that was never saved says which file was looked for")
    func missingFile() throws {
        let folder = try makeScratchFolder("missing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let x = Tensor.zeros([1, 3, 64, 64])
        let learn = Learner(
            simpleCNN(), DataLoaders(InMemoryBatches(x: x, y: x, bs: 1), InMemoryBatches(x: x, y: x, bs: 1)),
            lossFunc: crossEntropy, lr: 0.1)
        let error = try #require(throws: SafetensorsError.self) { try learn.load("stage9", path: folder) }
        #expect(error.file.hasSuffix("models/stage9.safetensors"))
        #expect(error.problem.contains("learn.save(\"stage9\")"))
    }
}

@Suite("state_dict names of other models")
struct StateDictNamingTests {
    /// A module with named properties, as a PyTorch `nn.Module` with attributes.
    final class Net: Module {
        let scale = Parameter(Tensor.ones([1]))
        let body = Sequential(ConvLayer(3, 4, stride: 2), ConvLayer(4, 8, bias: false, act: false))
        let head = Linear(8, 2)
        override func forward(_ x: Tensor) -> Tensor { head(body(x).mean(2, 3)) * scale }
    }

    @Test("own parameters first, then children by property name, as PyTorch's state_dict() orders them")
    func reflectedNames() {
        let names = stateDictEntries(of: Net()).map(\.name)
        #expect(names == ["scale", "body.0.0.weight", "body.0.0.bias", "body.1.0.weight", "head.weight", "head.bias"])
        let dict = Net().stateDict()
        #expect(dict["body.1.0.weight"]?.shape == [8, 4, 3, 3])
        #expect(dict["body.1.0.bias"] == nil)
    }

    @Test("a model saved and loaded by these names keeps every weight")
    func roundTrip() throws {
        let folder = try makeScratchFolder("naming")
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = Net(), b = Net()
        noGrad { a.scale.assign(Tensor([3])) }
        try a.save(to: folder.appendingPathComponent("net.safetensors"))
        try b.load(from: folder.appendingPathComponent("net.safetensors"))
        for (p, q) in zip(a.parameters(), b.parameters()) { #expect(p.toArray() == q.toArray()) }
        // A different architecture is refused by name.
        #expect(throws: SafetensorsError.self) {
            try simpleCNN().load(from: folder.appendingPathComponent("net.safetensors"))
        }
    }
}
