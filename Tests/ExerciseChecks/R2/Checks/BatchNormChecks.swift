import ExerciseSupport
import Foundation
import Shared

/// What an answer to exercise R2 provides: a way to make its batchnorm layer and to read the layer's
/// parameters and running statistics.
public struct BatchNormAnswer {
    /// `BatchNorm(channels, momentum: momentum, eps: eps)`.
    public var make: (_ channels: Int, _ momentum: Float, _ eps: Float) -> Module
    /// The layer's `weight`, `bias`, `runningMean` and `runningVar`.
    public var weight: (Module) -> Parameter, bias: (Module) -> Parameter
    public var runningMean: (Module) -> Tensor, runningVar: (Module) -> Tensor

    public init(
        make: @escaping (_ channels: Int, _ momentum: Float, _ eps: Float) -> Module,
        weight: @escaping (Module) -> Parameter, bias: @escaping (Module) -> Parameter,
        runningMean: @escaping (Module) -> Tensor, runningVar: @escaping (Module) -> Tensor
    ) {
        self.make = make
        self.weight = weight
        self.bias = bias
        self.runningMean = runningMean
        self.runningVar = runningVar
    }
}

/// The checks of exercise R2. The expected numbers come from PyTorch's `nn.BatchNorm2d`
/// (fixtures.json, written by make_fixtures.py beside the checks).
public func checks(_ answer: BatchNormAnswer) -> [Check] {
    let r2 = R2Checks(answer)
    return [
        Check("training output matches PyTorch's BatchNorm2d", r2.trainingOutput),
        Check("gradients of input, weight and bias match PyTorch's", r2.gradients),
        Check("running statistics after two training batches match PyTorch's", r2.runningStatistics),
        Check("evaluation uses the running statistics, and leaves them alone", r2.evaluation),
        Check("the running statistics are kept outside the graph", r2.statisticsOutsideTheGraph)
    ]
}

/// One case of fixtures.json: a layer, two training batches and an evaluation batch.
struct BatchNormCase: Decodable {
    let name: String, momentum: Float, eps: Float
    let weight: EncodedTensor, bias: EncodedTensor
    let x1: EncodedTensor, upstream: EncodedTensor, y1: EncodedTensor
    let dx1: EncodedTensor, dweight: EncodedTensor, dbias: EncodedTensor
    let runningMean1: EncodedTensor, runningVar1: EncodedTensor
    let x2: EncodedTensor, y2: EncodedTensor, runningMean2: EncodedTensor, runningVar2: EncodedTensor
    let xEval: EncodedTensor, yEval: EncodedTensor
}

/// A tensor as the fixtures store it.
struct EncodedTensor: Decodable {
    let shape: [Int], data: [Float]
    var tensor: Tensor { Tensor(data, shape: shape) }
}

struct R2Fixtures: Decodable {
    let cases: [BatchNormCase]

    static func load() throws -> [BatchNormCase] {
        try JSONDecoder().decode(R2Fixtures.self, from: Data(fixturesJSON.utf8)).cases
    }
}

/// Per-channel statistics of x [N, C, H, W], by plain loops, and the ways of normalising with them
/// that the checks know (PyTorch's, and common mistakes).
struct ChannelStatistics {
    let mean: [Float], biased: [Float], unbiased: [Float]
    let count: Int

    init(_ x: Tensor) {
        let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let v = x.contiguous().toArray()
        var mean = [Float](), biased = [Float](), unbiased = [Float]()
        for ch in 0..<c {
            var values = [Double]()
            for i in 0..<n { values += v[(i * c + ch) * hw..<(i * c + ch + 1) * hw].map(Double.init) }
            let m = values.reduce(0, +) / Double(values.count)
            let ss = values.map { ($0 - m) * ($0 - m) }.reduce(0, +)
            mean.append(Float(m))
            biased.append(Float(ss / Double(values.count)))
            unbiased.append(Float(ss / Double(Swift.max(values.count - 1, 1))))
        }
        self.mean = mean
        self.biased = biased
        self.unbiased = unbiased
        count = n * hw
    }
}

/// `(x − mean[c]) / √(var[c] + eps) · w[c] + b[c]`, element by element; `epsOutside` puts eps after
/// the square root instead.
func normalise(
    _ x: Tensor, mean: [Float], variance: [Float], w: [Float], b: [Float], eps: Float, epsOutside: Bool = false
) -> Tensor {
    let (c, hw) = (x.shape[1], x.shape[2] * x.shape[3])
    let v = x.contiguous().toArray()
    let out = v.indices.map { k -> Float in
        let ch = (k / hw) % c
        let scale = epsOutside ? variance[ch].squareRoot() + eps : (variance[ch] + eps).squareRoot()
        return (v[k] - mean[ch]) / scale * w[ch] + b[ch]
    }
    return Tensor(out, shape: x.shape)
}

/// Normalises each (image, channel) plane with its own statistics: statistics over the wrong axes.
func normalisePerImage(_ x: Tensor, w: [Float], b: [Float], eps: Float) -> Tensor {
    let (n, c, hw) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
    var v = x.contiguous().toArray()
    for i in 0..<n {
        for ch in 0..<c {
            let range = (i * c + ch) * hw..<(i * c + ch + 1) * hw
            let m = v[range].reduce(0, +) / Float(hw)
            let variance = v[range].map { ($0 - m) * ($0 - m) }.reduce(0, +) / Float(hw)
            for k in range { v[k] = (v[k] - m) / (variance + eps).squareRoot() * w[ch] + b[ch] }
        }
    }
    return Tensor(v, shape: x.shape)
}

/// Largest absolute difference between two tensors, infinity if their shapes differ.
func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.toArray(), b.toArray()).map { Swift.abs($0 - $1) }.max() ?? 0
}

func describe(_ t: Tensor) -> String {
    "[" + t.toArray().prefix(6).map { cFormat("%.4g", Double($0)) }.joined(separator: ", ")
        + (t.count > 6 ? ", …]" : "]")
}

/// Where `got` differs most from `expected`: "at [n, c, h, w]: expected …, got …".
func largestDifference(_ got: Tensor, _ expected: Tensor) -> String {
    guard got.shape == expected.shape else { return "the shape is \(got.shape), expected \(expected.shape)" }
    let (a, b) = (got.toArray(), expected.toArray())
    let k = a.indices.max { Swift.abs(a[$0] - b[$0]) < Swift.abs(a[$1] - b[$1]) } ?? 0
    var index: [Int] = [], rest = k
    for size in expected.shape.reversed() {
        index.insert(rest % size, at: 0)
        rest /= size
    }
    return "at \(index): expected \(cFormat("%.5g", Double(b[k]))), got \(cFormat("%.5g", Double(a[k])))"
}

struct R2Checks {
    let student: BatchNormAnswer
    init(_ student: BatchNormAnswer) { self.student = student }

    /// A layer for `c`, with the case's weight and bias.
    func layer(_ c: BatchNormCase) throws -> Module {
        let channels = c.weight.shape[0]
        let bn = try answer { self.student.make(channels, c.momentum, c.eps) }
        try expect(
            student.weight(bn).shape == [channels] && student.bias(bn).shape == [channels],
            "weight and bias should have shape [\(channels)] for BatchNorm(\(channels)); they have "
                + "\(student.weight(bn).shape) and \(student.bias(bn).shape)")
        student.weight(bn).assign(c.weight.tensor)
        student.bias(bn).assign(c.bias.tensor)
        return bn
    }

    func initialState() throws {
        let bn = try answer { self.student.make(5, 0.1, 1e-5) }
        let ones = [Float](repeating: 1, count: 5), zeros = [Float](repeating: 0, count: 5)
        try expect(student.weight(bn).toArray() == ones, "a new layer's weight should be all ones")
        try expect(student.bias(bn).toArray() == zeros, "a new layer's bias should be all zeros")
        try expect(
            student.runningMean(bn).shape == [5] && student.runningMean(bn).toArray() == zeros,
            "a new layer's running mean should be [C] zeros, it is \(describe(student.runningMean(bn))) "
                + "of shape \(student.runningMean(bn).shape)")
        try expect(
            student.runningVar(bn).shape == [5] && student.runningVar(bn).toArray() == ones,
            "a new layer's running variance should be [C] ones, it is \(describe(student.runningVar(bn))) "
                + "of shape \(student.runningVar(bn).shape)")
        let shapes = bn.parameters().map(\.shape)
        try expect(
            shapes == [[5], [5]],
            "only weight and bias are parameters (an optimiser must never step the running statistics); "
                + "the layer's parameters have shapes \(shapes)")
    }

    func trainingOutput() throws {
        for c in try R2Fixtures.load() {
            let bn = try layer(c)
            bn.training = true
            let x = c.x1.tensor
            let out = try answer { bn(x) }
            if maxDifference(out, c.y1.tensor) <= 1e-4 { continue }
            let s = ChannelStatistics(x), (w, b) = (c.weight.data, c.bias.data)
            let known: [(Tensor, String)] = [
                (
                    normalise(x, mean: s.mean, variance: s.unbiased, w: w, b: b, eps: c.eps),
                    "normalises with the unbiased variance (divided by count − 1): training normalises with the "
                        + "biased one (divided by the count); the unbiased one is only for the running variance"
                ),
                (
                    normalise(x, mean: s.mean, variance: s.biased, w: w, b: b, eps: c.eps, epsOutside: true),
                    "adds eps after the square root: it goes under it, √(variance + eps)"
                ),
                (
                    normalisePerImage(x, w: w, b: b, eps: c.eps),
                    "takes statistics per image and channel: batchnorm's are per channel, over the batch, the "
                        + "height and the width together (axes 0, 2 and 3)"
                ),
                (
                    normalise(
                        x, mean: [Float](repeating: 0, count: s.mean.count),
                        variance: [Float](repeating: 1, count: s.mean.count), w: w, b: b, eps: c.eps),
                    "uses the running statistics in training: training normalises with the batch's own statistics"
                ),
                (
                    c.eps == 1e-5
                        ? Tensor.zeros([1]) : normalise(x, mean: s.mean, variance: s.biased, w: w, b: b, eps: 1e-5),
                    "ignores its eps: it normalises with 1e-5 whatever eps the layer was made with"
                ),
                (
                    normalise(
                        x, mean: s.mean, variance: s.biased, w: [Float](repeating: 1, count: w.count),
                        b: [Float](repeating: 0, count: w.count), eps: c.eps),
                    "does not apply weight and bias after normalising"
                ),
                (
                    normalise(x, mean: s.mean, variance: s.biased, w: b, b: w, eps: c.eps),
                    "uses weight and bias the wrong way round: the normalised value is multiplied by weight, then "
                        + "bias is added"
                )
            ]
            for (candidate, message) in known where maxDifference(out, candidate) <= 1e-4 {
                throw CheckFailure("in training, the layer \(message) (case: \(c.name))")
            }
            throw CheckFailure(
                "in training (case: \(c.name), momentum \(c.momentum), eps \(c.eps)) the output differs from "
                    + "PyTorch's, most \(largestDifference(out, c.y1.tensor))")
        }
    }

    func gradients() throws {
        for c in try R2Fixtures.load() {
            let bn = try layer(c)
            bn.training = true
            let x = Parameter(c.x1.tensor), g = c.upstream.tensor
            try answer { (bn(x) * g).sum().backward() }
            let (dw, db, dx) = (student.weight(bn).grad, student.bias(bn).grad, x.grad)
            guard let dw, let db else {
                throw CheckFailure("no gradient reaches weight or bias: are they used in the training output?")
            }
            try expect(
                maxDifference(db, c.dbias.tensor) <= 1e-3,
                "bias's gradient differs from PyTorch's (case: \(c.name)): expected \(describe(c.dbias.tensor)), "
                    + "got \(describe(db))")
            try expect(
                maxDifference(dw, c.dweight.tensor) <= 1e-3,
                "weight's gradient differs from PyTorch's (case: \(c.name)): expected \(describe(c.dweight.tensor)), "
                    + "got \(describe(dw))")
            guard let dx else {
                throw CheckFailure(
                    "no gradient reaches the layer's input: is the output computed from it in the graph?")
            }
            if maxDifference(dx, c.dx1.tensor) <= 1e-3 { continue }
            // With the statistics treated as constants, the input gradient is just g · w / √(var + eps).
            let s = ChannelStatistics(c.x1.tensor)
            let (channels, hw) = (c.x1.shape[1], c.x1.shape[2] * c.x1.shape[3])
            let gv = g.toArray()
            let detached = Tensor(
                gv.indices.map { k in
                    let ch = (k / hw) % channels
                    return gv[k] * c.weight.data[ch] / (s.biased[ch] + c.eps).squareRoot()
                }, shape: g.shape)
            if maxDifference(dx, detached) <= 1e-3 {
                throw CheckFailure(
                    "the input's gradient is what it would be if the batch mean and variance were constants: "
                        + "are the statistics computed outside the graph (detached, or inside noGrad)? In training, "
                        + "the gradient must flow through them (case: \(c.name))")
            }
            throw CheckFailure(
                "the input's gradient differs from PyTorch's (case: \(c.name)), most "
                    + "\(largestDifference(dx, c.dx1.tensor))")
        }
    }

    func runningStatistics() throws {
        // The given initialiser sets these; an answer must not change them behind its back.
        try initialState()
        for c in try R2Fixtures.load() {
            let bn = try layer(c)
            bn.training = true
            let channels = c.weight.shape[0]
            for (step, x, mean, variance) in [
                (1, c.x1.tensor, c.runningMean1.tensor, c.runningVar1.tensor),
                (2, c.x2.tensor, c.runningMean2.tensor, c.runningVar2.tensor)
            ] {
                let before = (student.runningMean(bn).toArray(), student.runningVar(bn).toArray())
                _ = try answer { bn(x) }
                let (m, v) = (student.runningMean(bn), student.runningVar(bn))
                let after = (m.toArray(), v.toArray())
                let which = "after \(step) training batch\(step == 1 ? "" : "es") (case: \(c.name))"
                try expect(
                    after.0 != before.0 || after.1 != before.1,
                    "a training batch leaves the running statistics as they were: each one should move them towards "
                        + "the batch's (\(which))")
                let s = ChannelStatistics(x), mo = c.momentum
                let meanOK = maxDifference(m, mean) <= 1e-4
                if !meanOK {
                    let swapped = zip(before.0, s.mean).map { mo * $0 + (1 - mo) * $1 }
                    if maxDifference(m, Tensor(swapped, shape: [channels])) <= 1e-4 {
                        throw CheckFailure(
                            "the running mean weighs the batch with 1 − momentum; PyTorch's convention is "
                                + "running ← (1 − momentum)·running + momentum·batch (\(which))")
                    }
                    let fixed = zip(before.0, s.mean).map { 0.9 * $0 + 0.1 * $1 }
                    if mo != 0.1 && maxDifference(m, Tensor(fixed, shape: [channels])) <= 1e-4 {
                        throw CheckFailure(
                            "the running mean moves with momentum 0.1 whatever momentum the layer was made with "
                                + "(\(mo) here): use the layer's own (\(which))")
                    }
                    throw CheckFailure(
                        "the running mean \(which) should be \(describe(mean)), it is \(describe(m))")
                }
                if maxDifference(v, variance) <= 1e-4 * Swift.max(1, variance.toArray().map(Swift.abs).max() ?? 1) {
                    continue
                }
                let biased = zip(before.1, s.biased).map { (1 - mo) * $0 + mo * $1 }
                if maxDifference(v, Tensor(biased, shape: [channels])) <= 1e-4 {
                    throw CheckFailure(
                        "the running variance follows the biased batch variance; PyTorch keeps the unbiased one "
                            + "(divided by count − 1) there (\(which))")
                }
                let images = Double(x.shape[0]), count = Double(s.count)
                let perImage = zip(before.1, s.biased).map {
                    (1 - mo) * $0 + mo * Float(Double($1) * images / Swift.max(images - 1, 1))
                }
                if images != count && maxDifference(v, Tensor(perImage, shape: [channels])) <= 1e-4 {
                    throw CheckFailure(
                        "the running variance is unbiased with the number of images, n / (n − 1) for n = "
                            + "\(Int(images)); the count is every value of the channel in the batch, N·H·W = "
                            + "\(s.count) here (\(which))")
                }
                let swapped = zip(before.1, s.unbiased).map { mo * $0 + (1 - mo) * $1 }
                if maxDifference(v, Tensor(swapped, shape: [channels])) <= 1e-4 {
                    throw CheckFailure(
                        "the running variance weighs the batch with 1 − momentum; PyTorch's convention is "
                            + "running ← (1 − momentum)·running + momentum·batch (\(which))")
                }
                throw CheckFailure(
                    "the running variance \(which) should be \(describe(variance)), it is \(describe(v))")
            }
        }
    }

    func evaluation() throws {
        for c in try R2Fixtures.load() {
            let bn = try layer(c)
            bn.training = true
            _ = try answer { (bn(c.x1.tensor), bn(c.x2.tensor)) }
            let statistics = (student.runningMean(bn).toArray(), student.runningVar(bn).toArray())
            bn.training = false
            let x = c.xEval.tensor
            let out = try answer { bn(x) }
            let again = try answer { bn(x) }
            let statisticsAfter = (student.runningMean(bn).toArray(), student.runningVar(bn).toArray())
            try expect(
                statisticsAfter.0 == statistics.0 && statisticsAfter.1 == statistics.1,
                "evaluation changed the running statistics: only training batches may move them (case: \(c.name))")
            if maxDifference(out, c.yEval.tensor) <= 1e-4 {
                try expect(
                    maxDifference(again, out) == 0,
                    "two evaluations of the same batch gave different outputs (case: \(c.name))")
                continue
            }
            let s = ChannelStatistics(x)
            let batchStatistics = normalise(
                x, mean: s.mean, variance: s.biased, w: c.weight.data, b: c.bias.data, eps: c.eps)
            if maxDifference(out, batchStatistics) <= 1e-4 {
                throw CheckFailure(
                    "in evaluation the layer normalises with the batch's statistics: it must use the running mean "
                        + "and variance (training == false) (case: \(c.name))")
            }
            let withoutEps = normalise(
                x, mean: c.runningMean2.data, variance: c.runningVar2.data, w: c.weight.data, b: c.bias.data, eps: 0)
            if maxDifference(out, withoutEps) <= 1e-4 {
                throw CheckFailure(
                    "in evaluation the layer divides by √(running variance), leaving eps out: it belongs under the "
                        + "square root there too, √(running variance + eps) (case: \(c.name))")
            }
            throw CheckFailure(
                "in evaluation (case: \(c.name)) the output differs from PyTorch's, most "
                    + "\(largestDifference(out, c.yEval.tensor))")
        }
    }

    func statisticsOutsideTheGraph() throws {
        let c = try R2Fixtures.load()[0]
        let bn = try layer(c)
        bn.training = true
        let x = Parameter(c.x1.tensor)
        _ = try answer { bn(x) }
        try expect(
            !student.runningMean(bn).requiresGrad && !student.runningVar(bn).requiresGrad,
            "the running statistics are part of the autograd graph after a training batch: update them outside it "
                + "(noGrad, and a detached batch statistic), or every batch's graph stays alive through them")
    }
}
