import Foundation

/// What a model needs besides its weights to classify a photo (classes, statistics, size): what
/// fastai pickles with an exported learner, here in the safetensors `__metadata__`.
public struct ImageClassifierInfo: Equatable, Sendable {
    /// Class names (WordNet ids for Imagenette) in the order of the model's outputs.
    public var vocab: [String]
    /// Per-channel mean and standard deviation of the training images, in [0, 1] units.
    public var mean: [Float], std: [Float]
    /// Side of the square images the model takes.
    public var size: Int

    /// Info spelled out.
    public init(vocab: [String], mean: [Float], std: [Float], size: Int = 64) {
        self.vocab = vocab
        self.mean = mean
        self.std = std
        self.size = size
    }

    /// The vocabulary, statistics and image size of the chapter's data.
    public init(_ data: ImagenetteData) {
        self.init(
            vocab: data.lbls, mean: data.norm.stats.mean.toArray(), std: data.norm.stats.std.toArray(),
            size: data.trainDS.size)
    }

    /// The header fields that hold this info: `vocab` (comma-separated), `normalize_mean`,
    /// `normalize_std`, `image_size`.
    public var metadata: [String: String] {
        func floats(_ values: [Float]) -> String { values.map { "\($0)" }.joined(separator: ",") }
        return [
            "vocab": vocab.joined(separator: ","), "normalize_mean": floats(mean), "normalize_std": floats(std),
            "image_size": String(size)
        ]
    }

    /// Reads the info back from a header's metadata; `file` names the source in errors.
    public init(metadata: [String: String], file: String) throws {
        func field(_ key: String) throws -> String {
            guard let value = metadata[key] else {
                throw SafetensorsError(
                    file: file,
                    problem: "no \"\(key)\" in the header's metadata: this file holds weights only, not the "
                        + "classes and statistics predict needs (was it saved with info: ImageClassifierInfo(data)?)")
            }
            return value
        }
        func floats(_ key: String) throws -> [Float] {
            let parts = try field(key).split(separator: ",").map { Float(String($0)) }
            guard parts.count == 3, parts.allSatisfy({ $0 != nil }) else {
                throw SafetensorsError(file: file, problem: "metadata \"\(key)\" is not three numbers")
            }
            return parts.map { $0! }
        }
        let vocab = try field("vocab").split(separator: ",").map(String.init)
        guard let size = Int(try field("image_size")), size > 0 else {
            throw SafetensorsError(file: file, problem: "metadata \"image_size\" is not a positive integer")
        }
        self.init(vocab: vocab, mean: try floats("normalize_mean"), std: try floats("normalize_std"), size: size)
    }
}

/// fastai's `learn.predict` answer (class, index, probabilities), with the class's readable name.
public struct Prediction: Equatable {
    /// One class with its probability.
    public struct Guess: Equatable {
        /// Index of the class among the model's outputs.
        public var index: Int
        /// The class as its folder is named (a WordNet id for Imagenette).
        public var label: String
        /// A readable name (`tench`), or the label when there is none.
        public var name: String
        /// The model's probability for it (softmax of the logits).
        public var probability: Float
    }

    /// The probability of every class, in index order.
    public var probabilities: [Float]
    /// The classes by decreasing probability.
    public var ranked: [Guess]

    /// The most probable class.
    public var best: Guess { ranked[0] }

    /// The `k` most probable classes.
    public func top(_ k: Int) -> [Guess] { Array(ranked.prefix(k)) }

    /// The probabilities from `logits` `[classes]`, with names from `vocab`.
    public init(logits: [Float], vocab: [String]) {
        let largest = logits.max() ?? 0
        let exps = logits.map { Foundation.exp($0 - largest) }
        let total = exps.reduce(0, +)
        let probabilities = exps.map { $0 / total }
        self.probabilities = probabilities
        ranked = probabilities.indices.map { i in
            let label = i < vocab.count ? vocab[i] : "class \(i)"
            return Guess(index: i, label: label, name: ImagenetteClasses.name(of: label), probability: probabilities[i])
        }.sorted { $0.probability > $1.probability || ($0.probability == $1.probability && $0.index < $1.index) }
    }

    /// `k` lines such as `  1. tench (n01440764)  87.1%`.
    public func report(top k: Int = 3) -> String {
        top(k).enumerated().map { rank, guess in
            let percent = cFormat("%5.1f%%", Double(guess.probability * 100))
            let label = guess.name == guess.label ? guess.name : "\(guess.name) (\(guess.label))"
            return "  \(rank + 1). \(label.padding(toLength: 32, withPad: " ", startingAt: 0)) \(percent)"
        }.joined(separator: "\n")
    }
}

/// `model`'s class for the image at `path`, prepared as the training images were (fastai's
/// `learn.predict`). Throws `ImageFileError` naming an unreadable file.
public func predict(_ model: Module, file path: String, info: ImageClassifierInfo) throws -> Prediction {
    let image = try loadImage(path, size: info.size)
    let device = model.device
    let norm = Normalize((Tensor(info.mean, device: device), Tensor(info.std, device: device)))
    let x = tfmX(image.reshape([1, info.size, info.size, 3]).to(device), norm)
    let wasTraining = model.training
    model.training = false
    defer { model.training = wasTraining }
    let logits = noGrad { model(x) }
    guard logits.shape == [1, info.vocab.count] else {
        throw SafetensorsError(
            file: path,
            problem: "the model gives outputs of shape \(logits.shape) but there are \(info.vocab.count) classes")
    }
    return Prediction(logits: logits.toArray(), vocab: info.vocab)
}

extension Learner {
    /// fastai's `learn.predict(item)`: the class of one image file, with probabilities. fastai's
    /// learner finds the classes and transforms in its `DataLoaders`; this one is given them in `info`.
    public func predict(_ path: String, info: ImageClassifierInfo) throws -> Prediction {
        try Shared.predict(model, file: path, info: info)
    }
}
