import Foundation
import Testing

@testable import Media
@testable import Shared

@Suite("predict and --predict")
struct PredictTests {
    static let imagenette = [
        "n01440764", "n02102040", "n02979186", "n03000684", "n03028079",
        "n03394916", "n03417042", "n03425413", "n03445777", "n03888605"
    ]
    static let info = ImageClassifierInfo(
        vocab: imagenette, mean: [0.45, 0.44, 0.41], std: [0.28, 0.27, 0.30], size: 64)

    /// A 96×80 PNG with a diagonal gradient, written to `folder`.
    func writePicture(in folder: URL) throws -> URL {
        var image = RGBImage(width: 96, height: 80)
        for y in 0..<80 {
            for x in 0..<96 { image[x, y] = (UInt8(x * 2), UInt8(y * 3), UInt8((x + y) % 256)) }
        }
        let file = folder.appendingPathComponent("picture.png")
        try writePNG(image, to: file.path)
        return file
    }

    @Test("softmax probabilities, ranked, with Imagenette's names")
    func probabilities() {
        var logits = [Float](repeating: 0, count: 10)
        logits[3] = 2
        logits[7] = 1
        let p = Prediction(logits: logits, vocab: Self.imagenette)
        #expect(abs(p.probabilities.reduce(0, +) - 1) < 1e-6)
        let total = Float(8) + exp(Float(2)) + exp(Float(1))
        #expect(abs(p.best.probability - exp(Float(2)) / total) < 1e-6)
        #expect(p.top(3).map(\.index) == [3, 7, 0])
        #expect(p.best.label == "n03000684" && p.best.name == "chain saw")
        #expect(p.ranked[1].name == "gas pump")
        let lines = p.report(top: 3).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("  1. chain saw (n03000684)") && lines[0].hasSuffix("%"))
        // A class that is not Imagenette's keeps its own name.
        #expect(Prediction(logits: [0, 1], vocab: ["cat", "dog"]).best.name == "dog")
    }

    @Test("all ten Imagenette classes have names")
    func classNames() {
        #expect(
            Self.imagenette.map(ImagenetteClasses.name(of:)) == [
                "tench", "English springer", "cassette player", "chain saw", "church",
                "French horn", "garbage truck", "gas pump", "golf ball", "parachute"
            ])
        #expect(ImagenetteClasses.name(of: "n99999999") == "n99999999")
    }

    @Test("predict gives what the training pipeline gives for the same image")
    func matchesBatchPipeline() throws {
        let folder = try makeScratchFolder("predict")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try writePicture(in: folder)
        let model = simpleCNN()
        try model.load(from: try SafetensorsFixtures.model())
        let prediction = try predict(model, file: file.path, info: Self.info)
        // The Dataset/DataLoader path: the item as the dataset decodes it, normalised by tfmX.
        let item = try ImageDataset([file], val2idx: [folder.lastPathComponent: 0])[0].x
        let norm = Normalize((Tensor(Self.info.mean), Tensor(Self.info.std)))
        let logits = noGrad { model(tfmX(item.reshape([1, 64, 64, 3]), norm)) }.toArray()
        let expected = Prediction(logits: logits, vocab: Self.imagenette)
        #expect(prediction.best.index == expected.best.index)
        for (a, b) in zip(prediction.probabilities, expected.probabilities) { #expect(abs(a - b) < 1e-6) }
    }

    @Test("a missing or corrupt image is an error naming the file")
    func badImages() throws {
        let folder = try makeScratchFolder("predict-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nothing.jpg").path
        let error = try #require(throws: ImageFileError.self) {
            try predict(simpleCNN(), file: missing, info: Self.info)
        }
        #expect(error.path == missing)
        let corrupt = folder.appendingPathComponent("corrupt.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46]).write(to: corrupt)
        let decode = try #require(throws: ImageFileError.self) {
            try predict(simpleCNN(), file: corrupt.path, info: Self.info)
        }
        #expect(decode.path == corrupt.path)
    }

    @Test("the classes and statistics survive the file's metadata; a weights-only file says what is missing")
    func infoMetadata() throws {
        #expect(try ImageClassifierInfo(metadata: Self.info.metadata, file: "f") == Self.info)
        let error = try #require(throws: SafetensorsError.self) {
            try ImageClassifierInfo(metadata: ["format": "pt"], file: "weights.safetensors")
        }
        #expect(error.problem.contains("\"vocab\""))
        var broken = Self.info.metadata
        broken["normalize_std"] = "0.1,x,0.3"
        #expect(throws: SafetensorsError.self) { try ImageClassifierInfo(metadata: broken, file: "f") }
    }

    @Test("--predict loads a saved model and prints the top 3; bad requests fail clearly")
    func command() throws {
        let folder = try makeScratchFolder("predict-command")
        defer { try? FileManager.default.removeItem(at: folder) }
        let picture = try writePicture(in: folder)
        let model = simpleCNN()
        try model.load(from: try SafetensorsFixtures.model())
        let saved = folder.appendingPathComponent("models/stage1.safetensors")
        try model.save(to: saved, metadata: Self.info.metadata)

        var out: [String] = [], err: [String] = []
        func run(_ arguments: [String]) -> Int32 {
            out = []
            err = []
            return PredictCommand.run(
                arguments: arguments, preview: false, out: { out.append($0) }, err: { err.append($0) })
        }
        #expect(run(["--predict", picture.path, "--data", folder.path]) == 0, "\(err)")
        let expected = try predict(model, file: picture.path, info: Self.info)
        #expect(out.first == "\(picture.path): \(expected.best.name)\n" + expected.report(top: 3))
        #expect(out.last?.contains(saved.path) == true)
        #expect(run(["--predict=\(picture.path)", "--model", saved.path, "--top", "5"]) == 0)
        #expect(out.first?.split(separator: "\n").count == 6)

        #expect(run(["--predict", picture.path, "--model", folder.appendingPathComponent("none").path]) == 1)
        #expect(err.first?.contains("no such file") == true)
        #expect(run(["--predict", folder.appendingPathComponent("gone.jpg").path, "--model", saved.path]) == 1)
        #expect(err.first?.contains("gone.jpg") == true)
        #expect(run(["--predict"]) == 64)
        #expect(run(["--predict", picture.path, "--epochs", "3"]) == 64)
        #expect(err.first?.contains("--epochs cannot be used with --predict") == true)
        // A file of weights without the classes cannot predict, and says why.
        try model.save(to: saved)
        #expect(run(["--predict", picture.path, "--model", saved.path]) == 1)
        #expect(err.first?.contains("vocab") == true)
    }

    @Test("where --predict looks for the model: --data first, then fastai's data folders")
    func candidates() {
        let list = PredictCommand.savedModelCandidates(data: "/somewhere", quick: false)
        #expect(list.first?.path == "/somewhere/models/stage1.safetensors")
        #expect(list.last?.path.hasSuffix("imagenette2-160-builtin-quick/models/stage1.safetensors") == true)
        let quick = PredictCommand.savedModelCandidates(data: nil, quick: true)
        #expect(quick.contains { $0.path.hasSuffix("imagenette2-160-builtin-quick/models/stage1.safetensors") })
        #expect(PredictCommand.isRequested(["--quick", "--predict", "x.jpg"]))
        #expect(PredictCommand.isRequested(["--predict=x.jpg"]))
        #expect(!PredictCommand.isRequested(["--quick"]))
    }
}
