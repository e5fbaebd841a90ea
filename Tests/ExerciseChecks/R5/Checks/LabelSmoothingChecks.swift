import ExerciseSupport
import Foundation
import Shared

/// What an answer to exercise R5 provides: its loss, for a given ε.
public struct LabelSmoothingAnswer {
    /// `LabelSmoothingCrossEntropy(eps: eps)` as a function of predictions and targets.
    public var loss: (_ eps: Float) -> (Tensor, Tensor) -> Tensor

    public init(loss: @escaping (_ eps: Float) -> (Tensor, Tensor) -> Tensor) { self.loss = loss }
}

/// The checks of exercise R5. Expected losses and gradients come from PyTorch's
/// `F.cross_entropy(…, label_smoothing: ε)` (fixtures.json, written by make_fixtures.py beside the
/// checks).
public func checks(_ answer: LabelSmoothingAnswer) -> [Check] {
    let r5 = R5Checks(answer)
    return [
        Check("the example of the doc comment: 0.2395 with ε 0, 0.6395 with ε 0.3", r5.docExample),
        Check("the loss matches PyTorch's label-smoothing cross entropy", r5.values),
        Check("the gradient with respect to the scores matches PyTorch's", r5.gradients),
        Check("scores in the hundreds give a finite loss", r5.largeScores),
        Check("trains a model as the Learner's loss function", r5.trainsInTheLearner)
    ]
}

struct LabelSmoothingCase: Decodable {
    struct Encoded: Decodable {
        let shape: [Int], data: [Float]
        var tensor: Tensor { Tensor(data, shape: shape) }
    }
    let name: String, eps: Float, preds: Encoded, target: [Int], loss: Float, upstream: Float, dpreds: Encoded

    static func load() throws -> [LabelSmoothingCase] {
        struct File: Decodable { let cases: [LabelSmoothingCase] }
        return try JSONDecoder().decode(File.self, from: Data(fixturesJSON.utf8)).cases
    }

    var targetTensor: Tensor { Tensor(target.map(Float.init), shape: [target.count]) }
}

/// The ways of computing the loss the checks know, in plain Double arithmetic: fastai's, and
/// common mistakes.
enum SmoothingForm: CaseIterable {
    case fastai, epsOnTheWrongTerm, spreadOverOtherClasses, sumOverClasses, noLogSoftmax, sumOverBatch
    case spreadSummedOverBatch

    var mistake: String {
        switch self {
        case .fastai: return ""
        case .epsOnTheWrongTerm:
            return "ε weighs the wrong term: the loss gives ε to the labelled class's −log p and 1 − ε to the "
                + "spread over the classes; it is the other way round (most of the weight on the label)"
        case .spreadOverOtherClasses:
            return "the loss spreads ε over the C − 1 other classes; fastai and PyTorch spread it over all C "
                + "classes, the labelled one included"
        case .sumOverClasses:
            return "the spread term sums −log p over the classes; it is their mean (divide by the number of classes)"
        case .noLogSoftmax:
            return "the loss uses the raw scores as if they were log-probabilities: take the log softmax first"
        case .sumOverBatch:
            return "the loss is summed over the rows of the batch; like cross entropy it is their mean"
        case .spreadSummedOverBatch:
            return "the spread term is summed over the rows of the batch while the other term is averaged: "
                + "average both over the batch"
        }
    }

    /// The loss of `preds` [N, C] against `target` for this form.
    func loss(_ preds: [Float], _ shape: [Int], _ target: [Int], _ eps: Float) -> Double {
        let (n, c) = (shape[0], shape[1])
        let e = Double(eps)
        var total = 0.0
        for i in 0..<n {
            let row = preds[i * c..<(i + 1) * c].map(Double.init)
            let logp: [Double]
            if self == .noLogSoftmax {
                logp = row
            } else {
                let m = row.max()!
                let lse = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
                logp = row.map { $0 - lse }
            }
            let nll = -logp[target[i]]
            let sum = -logp.reduce(0, +)
            switch self {
            case .fastai, .noLogSoftmax, .sumOverBatch: total += (1 - e) * nll + e * sum / Double(c)
            case .spreadSummedOverBatch: total += (1 - e) * nll + e * sum / Double(c) * Double(n)
            case .epsOnTheWrongTerm: total += e * nll + (1 - e) * sum / Double(c)
            case .spreadOverOtherClasses: total += (1 - e) * nll + e * (sum - nll) / Double(c - 1)
            case .sumOverClasses: total += (1 - e) * nll + e * sum
            }
        }
        return self == .sumOverBatch ? total : total / Double(n)
    }
}

struct R5Checks {
    let student: LabelSmoothingAnswer
    init(_ student: LabelSmoothingAnswer) { self.student = student }

    func scalar(_ t: Tensor, _ what: String) throws -> Float {
        try expect(t.count == 1, "the loss should be one number (a scalar), but it has shape \(t.shape) (\(what))")
        return t.item()
    }

    func docExample() throws {
        let preds = Tensor([2, 0, 0], shape: [1, 3]), target = Tensor([0], shape: [1])
        let plain = try scalar(try answer { self.student.loss(0)(preds, target) }, "the example with ε 0")
        let smoothed = try scalar(try answer { self.student.loss(0.3)(preds, target) }, "the example with ε 0.3")
        try expect(
            Swift.abs(plain - 0.2395448) < 1e-4,
            "with ε 0 the loss of [[2, 0, 0]] against [0] should be 0.2395 (plain cross entropy), it is \(plain)")
        try expect(
            Swift.abs(smoothed - 0.6395448) < 1e-4,
            "with ε 0.3 the loss of [[2, 0, 0]] against [0] should be 0.6395, it is \(smoothed)")
    }

    func values() throws {
        for c in try LabelSmoothingCase.load() {
            let ours = try scalar(try answer { self.student.loss(c.eps)(c.preds.tensor, c.targetTensor) }, c.name)
            if Swift.abs(ours - c.loss) <= 1e-4 * Swift.max(1, Swift.abs(c.loss)) { continue }
            for form in SmoothingForm.allCases where form != .fastai {
                let theirs = form.loss(c.preds.data, c.preds.shape, c.target, c.eps)
                if Swift.abs(Double(ours) - theirs) <= 1e-4 * Swift.max(1, Swift.abs(theirs)) {
                    throw CheckFailure("\(form.mistake) (case: \(c.name))")
                }
            }
            throw CheckFailure("case \(c.name): the loss should be \(c.loss) (PyTorch's), it is \(ours)")
        }
    }

    func gradients() throws {
        for c in try LabelSmoothingCase.load() where c.preds.data.allSatisfy({ Swift.abs($0) < 50 }) {
            let preds = Parameter(c.preds.tensor)
            try answer { (self.student.loss(c.eps)(preds, c.targetTensor) * c.upstream).backward() }
            guard let grad = preds.grad else {
                throw CheckFailure(
                    "no gradient reaches the scores (case: \(c.name)): is the loss computed from them in the graph?")
            }
            let expected = c.dpreds.data, got = grad.toArray()
            let off =
                grad.shape == c.dpreds.shape ? zip(got, expected).map { Swift.abs($0 - $1) }.max() ?? 0 : .infinity
            try expect(
                off <= 1e-4,
                "the gradient with respect to the scores differs from PyTorch's by up to "
                    + "\(cFormat("%.3g", Double(off))) (case: \(c.name)); its first row should be "
                    + "\(expected.prefix(c.preds.shape[1]).map { cFormat("%.4f", Double($0)) }), it is "
                    + "\(got.prefix(c.preds.shape[1]).map { cFormat("%.4f", Double($0)) })")
        }
    }

    func largeScores() throws {
        for c in try LabelSmoothingCase.load() where c.preds.data.contains(where: { Swift.abs($0) > 50 }) {
            let ours = try scalar(try answer { self.student.loss(c.eps)(c.preds.tensor, c.targetTensor) }, c.name)
            try expect(
                ours.isFinite,
                "with scores in the hundreds the loss is \(ours): exp overflows unless the log softmax subtracts "
                    + "each row's largest score first, as the chapter's LogSumExp trick does")
            try expect(
                Swift.abs(ours - c.loss) <= 1e-3 * Swift.max(1, Swift.abs(c.loss)),
                "with scores in the hundreds the loss should be \(c.loss) (PyTorch's), it is \(ours)")
        }
    }

    func trainsInTheLearner() throws {
        let loss = try answer { self.student.loss(0.1) }
        try ToyProblem.expectLearning(lossFunc: loss, what: "this loss")
    }
}
