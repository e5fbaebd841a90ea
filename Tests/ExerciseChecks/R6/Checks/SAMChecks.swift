import ExerciseSupport
import Foundation
import Shared

/// What an answer to exercise R6 provides: its SAM callback, for a given ρ.
public struct SAMAnswer {
    /// `SAM(rho: rho)`.
    public var callback: (_ rho: Float) -> LearnerCallback

    public init(callback: @escaping (_ rho: Float) -> LearnerCallback) { self.callback = callback }
}

/// The checks of exercise R6. They train on a quadratic loss ½·wᵀAw, whose SAM step has a closed
/// form: with g = Aw and ε = ρ·g/‖g‖ (the norm over all parameters together), the base optimiser
/// must step from w with the gradient A(w + ε).
public func checks(_ answer: SAMAnswer) -> [Check] {
    let r6 = R6Checks(answer)
    return [
        Check("the doc comment's example: w = [3, 4] becomes [2.67, 3.56]", r6.docExample),
        Check("the base optimiser steps from w with the gradient at w + ρ·g/‖g‖", r6.oneStep),
        Check("many steps over epochs follow the closed form, under a changing learning rate", r6.trajectory),
        Check("two forward passes per training batch, one per validation batch", r6.forwardPasses),
        Check("a second fit of the same learner takes SAM steps too", r6.secondFit),
        Check(
            "the second pass runs on each batch's own inputs and labels, in both fits of the same learner",
            r6.eachBatchItsOwn),
        Check("ρ = 0 gives the base optimiser's own steps", r6.zeroRho),
        Check("trains a model with the Learner", r6.trainsInTheLearner)
    ]
}

/// ½·wᵀAw over w = (a, b), two parameters of 2 and 3 numbers, whatever the input: the model's
/// output is the loss (the learner's loss function just sums it). It counts its forward passes.
final class Quadratic: Module {
    let a: Parameter, b: Parameter
    let blocks: (aa: Tensor, ab: Tensor, bb: Tensor)
    let matrix: [[Double]]
    var forwards = 0, trainingForwards = 0

    init(a: [Float], b: [Float], matrix: [[Double]]) {
        self.a = Parameter(Tensor(a, shape: [2]))
        self.b = Parameter(Tensor(b, shape: [3]))
        self.matrix = matrix
        func block(_ rows: Range<Int>, _ cols: Range<Int>) -> Tensor {
            Tensor(rows.flatMap { r in cols.map { Float(matrix[r][$0]) } }, shape: [rows.count, cols.count])
        }
        blocks = (block(0..<2, 0..<2), block(0..<2, 2..<5), block(2..<5, 2..<5))
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        forwards += 1
        if training { trainingForwards += 1 }
        let (ra, rb) = (a.reshape([1, 2]), b.reshape([1, 3]))
        let aa = ra.matmul(blocks.aa).matmul(ra.t()), bb = rb.matmul(blocks.bb).matmul(rb.t())
        let ab = ra.matmul(blocks.ab).matmul(rb.t())
        return (aa + bb) * 0.5 + ab
    }

    var w: [Double] { (a.toArray() + b.toArray()).map(Double.init) }
}

/// The quadratic plus a term that depends on the batch: ½·wᵀAw + x·w for the batch's one row x,
/// so that a second pass on another batch's inputs gives another gradient (the checks' learner then
/// scales the loss by 1 + y, so that another batch's labels do too).
final class ShiftedQuadratic: Module {
    let quadratic: Quadratic
    /// The columns of x that meet a, and those that meet b.
    let selectA: Tensor, selectB: Tensor

    init(a: [Float], b: [Float], matrix: [[Double]]) {
        quadratic = Quadratic(a: a, b: b, matrix: matrix)
        selectA = Tensor((0..<5).flatMap { r in (0..<2).map { Float(r == $0 ? 1 : 0) } }, shape: [5, 2])
        selectB = Tensor((0..<5).flatMap { r in (0..<3).map { Float(r == $0 + 2 ? 1 : 0) } }, shape: [5, 3])
        super.init()
    }

    override func forward(_ x: Tensor) -> Tensor {
        let shift =
            (x.matmul(selectA) * quadratic.a.reshape([1, 2])).sum()
            + (x.matmul(selectB) * quadratic.b.reshape([1, 3])).sum()
        return quadratic(x) + shift
    }
}

/// Plain SGD that remembers, at each step, the weights it stepped from and the gradients it used.
final class RecordingSGD: Optimizer {
    let params: [Parameter]
    var lr: Float
    var steps: [(weights: [Double], gradients: [Double])] = []

    init(_ params: [Parameter], lr: Float) {
        self.params = params
        self.lr = lr
    }

    func step() {
        let weights = params.flatMap { $0.toArray() }.map(Double.init)
        let gradients = params.flatMap { $0.grad?.toArray() ?? [Float](repeating: 0, count: $0.count) }.map(Double.init)
        steps.append((weights, gradients))
        let sgd = SGD(params, lr: lr)
        sgd.step()
    }
}

/// Sets the learning rate of each training batch from a list, as a scheduler would.
final class StepwiseLR: Callback {
    let rates: [Float]
    var index = 0
    init(_ rates: [Float]) { self.rates = rates }
    override func beforeBatch() throws {
        guard self.training else { return }
        self.opt.lr = rates[index % rates.count]
        index += 1
    }
}

/// The SAM step of the checks' quadratic problem, and the mistakes they can tell apart, in Double.
enum SAMForm: CaseIterable {
    case paper, perParameterNorm, descent, firstPassGradient, gradientsAdded, notRestored

    var mistake: String {
        switch self {
        case .paper: return ""
        case .perParameterNorm:
            return "each parameter's ε is scaled by its own gradient's norm: ‖g‖ is one norm over all parameters "
                + "together, so that ε has length ρ"
        case .descent:
            return "the perturbation goes down the gradient: SAM climbs to w + ρ·g/‖g‖, the worst point nearby"
        case .firstPassGradient:
            return "the base optimiser got the first pass's gradient (at w): it must step with the gradient "
                + "computed at the perturbed weights"
        case .gradientsAdded:
            return "the gradients of the two passes add up: zero the first one before the second backward pass"
        case .notRestored:
            return "the weights were not put back: the base optimiser must step from w, not from w + ε"
        }
    }

    /// (weights the base optimiser steps from, gradient it gets) for weights w, A and ρ.
    func step(_ w: [Double], _ matrix: [[Double]], rho: Double) -> (weights: [Double], gradients: [Double]) {
        func times(_ v: [Double]) -> [Double] { matrix.map { row in zip(row, v).map(*).reduce(0, +) } }
        let g = times(w)
        func norm(_ v: ArraySlice<Double>) -> Double { v.map { $0 * $0 }.reduce(0, +).squareRoot() }
        var e: [Double]
        if self == .perParameterNorm {
            let (na, nb) = (norm(g[0..<2]), norm(g[2..<5]))
            e = g.indices.map { rho * g[$0] / ($0 < 2 ? na : nb) }
        } else {
            let n = norm(g[...])
            e = g.map { rho * $0 / n }
        }
        if self == .descent { e = e.map { -$0 } }
        let perturbed = zip(w, e).map(+)
        switch self {
        case .firstPassGradient: return (w, g)
        case .gradientsAdded: return (w, zip(g, times(perturbed)).map(+))
        case .notRestored: return (perturbed, times(perturbed))
        default: return (w, times(perturbed))
        }
    }
}

struct R6Checks {
    let student: SAMAnswer
    init(_ student: SAMAnswer) { self.student = student }

    /// A symmetric positive-definite 5×5 matrix whose blocks couple the two parameters.
    static let matrix: [[Double]] = [
        [3.0, 0.5, 0.2, -0.4, 0.1],
        [0.5, 2.0, 0.3, 0.0, -0.2],
        [0.2, 0.3, 1.5, 0.4, 0.0],
        [-0.4, 0.0, 0.4, 2.5, 0.6],
        [0.1, -0.2, 0.0, 0.6, 1.0]
    ]

    /// Data with `batches` training batches of one row and one validation batch.
    func data(batches: Int) -> DataLoaders {
        let x = Tensor.zeros([batches, 1]), y = Tensor.zeros([batches])
        return DataLoaders(
            InMemoryBatches(x: x, y: y, bs: 1), InMemoryBatches(x: Tensor.zeros([1, 1]), y: Tensor.zeros([1]), bs: 1))
    }

    /// Fits the quadratic model with the student's SAM and a recording SGD.
    func fit(
        rho: Float, lr: Float = 0.1, batches: Int = 1, epochs: Int = 1, rates: [Float]? = nil,
        start: (a: [Float], b: [Float]) = ([1, -2], [0.5, 1.5, -1])
    ) throws -> (model: Quadratic, opt: RecordingSGD) {
        let model = Quadratic(a: start.a, b: start.b, matrix: Self.matrix)
        var made: RecordingSGD?
        let sam = try answer { self.student.callback(rho) }
        let cbs: [LearnerCallback] = rates.map { [StepwiseLR($0), sam] } ?? [sam]
        let learn = Learner(
            model, data(batches: batches), lossFunc: { preds, _ in preds.sum() }, lr: lr, cbs: cbs,
            optFunc: { params, lr in
                let opt = RecordingSGD(params, lr: lr)
                made = opt
                return opt
            })
        learn.showProgress = false
        try answer { try learn.fit(epochs) }
        guard let opt = made else { throw CheckFailure("the learner never made its optimiser") }
        return (model, opt)
    }

    func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-4) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance * Swift.max(1, Swift.abs($1)) }
    }

    func format(_ v: [Double]) -> String { "[" + v.map { cFormat("%.4f", $0) }.joined(separator: ", ") + "]" }

    /// What went wrong in a step the base optimiser took from `weights` with `gradients`, where
    /// the paper's SAM would have stepped from `w`; nil if nothing did.
    func diagnose(_ recorded: (weights: [Double], gradients: [Double]), from w: [Double], rho: Float, _ which: String)
        -> String?
    {
        let expected = SAMForm.paper.step(w, Self.matrix, rho: Double(rho))
        if close(recorded.weights, expected.weights) && close(recorded.gradients, expected.gradients) { return nil }
        for form in SAMForm.allCases where form != .paper {
            let theirs = form.step(w, Self.matrix, rho: Double(rho))
            if close(recorded.weights, theirs.weights) && close(recorded.gradients, theirs.gradients) {
                return "\(form.mistake) (\(which))"
            }
        }
        if !close(recorded.weights, expected.weights) {
            return "when the base optimiser stepped (\(which)) the weights were \(format(recorded.weights)), not the "
                + "batch's starting weights \(format(expected.weights))"
        }
        // The loss is ½·wᵀAw, so the gradient the base optimiser got, A·(w + ε), tells which ε was taken.
        if let taken = Self.solve(Self.matrix, recorded.gradients) {
            let e = zip(taken, w).map(-), g = SAMForm.firstPassGradient.step(w, Self.matrix, rho: 0).gradients
            let (length, gradientNorm) = (Self.length(e), Self.length(g))
            let cosine = zip(e, g).map(*).reduce(0, +) / Swift.max(length * gradientNorm, 1e-12)
            if cosine > 0.9999 && Swift.abs(length - Double(rho)) > 1e-3 * Double(rho) {
                return "the base optimiser got the gradient at w + ε with ε along g, but ε has length "
                    + "\(cFormat("%.4g", length)) where it should have length ρ = \(cFormat("%.4g", Double(rho))) "
                    + "(ε = ρ·g/‖g‖, ‖g‖ the square root of the sum of every parameter's squared gradients; here "
                    + "‖g‖ = \(cFormat("%.4g", gradientNorm))) (\(which))"
            }
            if cosine < 0.9999 && Swift.abs(length - Double(rho)) < 1e-3 * Double(rho) {
                return "the base optimiser got the gradient at w + ε with ε of length ρ, but ε does not point along "
                    + "this batch's gradient g at w (cosine \(cFormat("%.4f", cosine))): is ε computed from an older "
                    + "gradient, another batch's? (\(which))"
            }
        }
        return "the base optimiser got the gradient \(format(recorded.gradients)) (\(which)); the gradient at "
            + "w + ρ·g/‖g‖ is \(format(expected.gradients))"
    }

    static func length(_ v: [Double]) -> Double { v.map { $0 * $0 }.reduce(0, +).squareRoot() }

    /// x with A·x = b, by Gaussian elimination with partial pivoting; nil if A is singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        guard b.count == a.count else { return nil }
        var m = zip(a, b).map { $0 + [$1] }
        let n = a.count
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { Swift.abs(m[$0][col]) < Swift.abs(m[$1][col]) }),
                Swift.abs(m[pivot][col]) > 1e-12
            else { return nil }
            m.swapAt(col, pivot)
            for row in 0..<n where row != col {
                let f = m[row][col] / m[col][col]
                for k in col...n { m[row][k] -= f * m[col][k] }
            }
        }
        return (0..<n).map { m[$0][n] / m[$0][$0] }
    }

    func docExample() throws {
        final class Half: Module {
            let w = Parameter(Tensor([3, 4], shape: [2]))
            override func forward(_ x: Tensor) -> Tensor { (w * w).sum() * 0.5 }
        }
        let model = Half()
        let learn = Learner(
            model, data(batches: 1), lossFunc: { preds, _ in preds.sum() }, lr: 0.1,
            cbs: [try answer { self.student.callback(0.5) }])
        learn.showProgress = false
        try answer { try learn.fit(1) }
        let w = model.w.toArray()
        try expect(
            Swift.abs(w[0] - 2.67) < 1e-4 && Swift.abs(w[1] - 3.56) < 1e-4,
            "w = [3, 4] on ½‖w‖² with ρ 0.5 and SGD(lr: 0.1) should become [2.67, 3.56], it became \(w)"
                + (Swift.abs(w[0] - 2.7) < 1e-4 && Swift.abs(w[1] - 3.6) < 1e-4 ? " (plain SGD's step: no SAM)" : ""))
    }

    func oneStep() throws {
        let rho: Float = 0.3
        let start: (a: [Float], b: [Float]) = ([1, -2], [0.5, 1.5, -1])
        let (_, opt) = try fit(rho: rho, start: start)
        try expect(
            opt.steps.count == 1,
            "the optimiser the learner made stepped \(opt.steps.count) times for one training batch: SAM must let it "
                + "step exactly once per batch, with the gradient of the second pass")
        if let problem = diagnose(opt.steps[0], from: (start.a + start.b).map(Double.init), rho: rho, "one batch") {
            throw CheckFailure(problem)
        }
    }

    func trajectory() throws {
        let rho: Float = 0.2, rates: [Float] = [0.1, 0.05, 0.2, 0.02, 0.15, 0.08]
        let start: (a: [Float], b: [Float]) = ([-1.5, 0.5], [2, -0.5, 1])
        let (model, opt) = try fit(rho: rho, batches: 3, epochs: 2, rates: rates, start: start)
        try expect(
            opt.steps.count == 6,
            "two epochs of three training batches should make 6 steps of the learner's optimiser; it made "
                + "\(opt.steps.count)")
        var w = (start.a + start.b).map(Double.init)
        for (i, step) in opt.steps.enumerated() {
            if let problem = diagnose(step, from: w, rho: rho, "step \(i + 1) of 6") { throw CheckFailure(problem) }
            let g = SAMForm.paper.step(w, Self.matrix, rho: Double(rho)).gradients
            w = zip(w, g).map { $0 - Double(rates[i]) * $1 }
        }
        try expect(
            close(model.w, w),
            "after 6 steps the weights should be \(format(w)), they are \(format(model.w))")
    }

    func secondFit() throws {
        // Learners are often fitted more than once (a short run, then a longer one): the optimiser
        // each fit makes must be wrapped, as the callback stays in cbs.
        let model = Quadratic(a: [1, -2], b: [0.5, 1.5, -1], matrix: Self.matrix)
        let sam = try answer { self.student.callback(0.1) }
        let learn = Learner(
            model, data(batches: 3), lossFunc: { preds, _ in preds.sum() }, lr: 0.05, cbs: [sam],
            optFunc: { params, lr in RecordingSGD(params, lr: lr) })
        learn.showProgress = false
        try answer { try learn.fit(1) }
        let first = model.trainingForwards
        try answer { try learn.fit(1) }
        let second = model.trainingForwards - first
        try expect(
            first == 6 && second == 6,
            "the same learner fitted twice for one epoch of 3 batches ran the model \(first) times in training in "
                + "the first fit and \(second) in the second; SAM needs two passes per batch in every fit (each fit "
                + "makes a new optimiser, which must be wrapped too)")
    }

    /// The loss of a batch is (1 + y)·(½·wᵀAw + x·w): SAM's second pass must use the inputs and the
    /// label of the batch it is called for. Each fit wraps its optimiser at its first batch, so an
    /// answer that keeps that batch uses it for every later one.
    func eachBatchItsOwn() throws {
        let inputs: [[Double]] = [
            [0.5, -1, 0.3, 0.8, -0.2], [-0.7, 0.4, 1.1, -0.5, 0.6], [0.2, 0.9, -0.8, 0.3, -1.2]
        ]
        let labels: [Double] = [0.5, 2, 1]
        let (rho, lr): (Double, Float) = (0.1, 0.05)
        let start: (a: [Float], b: [Float]) = ([1, -2], [0.5, 1.5, -1])
        let model = ShiftedQuadratic(a: start.a, b: start.b, matrix: Self.matrix)
        let data = DataLoaders(
            InMemoryBatches(
                x: Tensor(inputs.joined().map(Float.init), shape: [3, 5]),
                y: Tensor(labels.map(Float.init), shape: [3]),
                bs: 1),
            InMemoryBatches(x: Tensor.zeros([1, 5]), y: Tensor.zeros([1]), bs: 1))
        var made: [RecordingSGD] = []
        let sam = try answer { self.student.callback(Float(rho)) }
        let learn = Learner(
            model, data, lossFunc: { preds, y in preds.sum() * (y.sum() + 1) }, lr: lr, cbs: [sam],
            optFunc: { params, lr in
                let opt = RecordingSGD(params, lr: lr)
                made.append(opt)
                return opt
            })
        learn.showProgress = false
        try answer {
            try learn.fit(1)
            try learn.fit(1)
        }
        let steps = made.flatMap(\.steps)
        try expect(
            made.count == 2 && steps.count == 6,
            "two fits of one epoch of 3 training batches should make 2 optimisers and 6 steps; they made "
                + "\(made.count) optimisers and \(steps.count) steps")
        func times(_ v: [Double]) -> [Double] { Self.matrix.map { row in zip(row, v).map(*).reduce(0, +) } }
        /// The gradient of batch `i`'s inputs and batch `j`'s label at `at`.
        func gradient(_ at: [Double], inputs i: Int, label j: Int) -> [Double] {
            zip(times(at), inputs[i]).map { (1 + labels[j]) * ($0 + $1) }
        }
        var w = (start.a + start.b).map(Double.init)
        for (k, step) in steps.enumerated() {
            let b = k % 3, which = "batch \(b + 1) of fit \(k / 3 + 1)"
            try expect(
                close(step.weights, w),
                "when the base optimiser stepped (\(which)) the weights were \(format(step.weights)), not the "
                    + "batch's starting weights \(format(w))")
            let g = gradient(w, inputs: b, label: b)
            let e = g.map { rho * $0 / Self.length(g) }
            let perturbed = zip(w, e).map(+)
            let want = gradient(perturbed, inputs: b, label: b)
            if !close(step.gradients, want) {
                for i in 0..<3 {
                    for j in 0..<3
                    where (i, j) != (b, b) && close(step.gradients, gradient(perturbed, inputs: i, label: j)) {
                        let used =
                            i == j
                            ? "the inputs and the label of batch \(i + 1)"
                            : [
                                i != b ? "the inputs of batch \(i + 1)" : nil,
                                j != b ? "the label of batch \(j + 1)" : nil
                            ]
                            .compactMap { $0 }.joined(separator: " and ")
                        throw CheckFailure(
                            "the second pass of \(which) used \(used) "
                                + "(the loss here depends on the batch): lossAgain must run the model on the batch "
                                + "being trained when it is called (learner.batch then), not on one kept from "
                                + "an earlier batch")
                    }
                }
                throw CheckFailure(
                    "the base optimiser got the gradient \(format(step.gradients)) (\(which)); the gradient of this "
                        + "batch's loss at w + ρ·g/‖g‖ is \(format(want))")
            }
            w = zip(w, want).map { $0 - Double(lr) * $1 }
        }
    }

    func forwardPasses() throws {
        let (model, _) = try fit(rho: 0.1, batches: 3, epochs: 2)
        try expect(
            model.trainingForwards == 12,
            "6 training batches ran the model \(model.trainingForwards) times; SAM needs exactly two passes per "
                + "batch (the learner's, and one at the perturbed weights)")
        try expect(
            model.forwards - model.trainingForwards == 2,
            "2 validation batches ran the model \(model.forwards - model.trainingForwards) times: validation "
                + "takes no step, so SAM must leave it alone")
    }

    func zeroRho() throws {
        let start: (a: [Float], b: [Float]) = ([1, -2], [0.5, 1.5, -1])
        let (model, opt) = try fit(rho: 0, batches: 2, start: start)
        var w = (start.a + start.b).map(Double.init)
        for _ in 0..<2 {
            let g = SAMForm.paper.step(w, Self.matrix, rho: 0).gradients
            w = zip(w, g).map { $0 - 0.1 * $1 }
        }
        try expect(opt.steps.count == 2, "two training batches made \(opt.steps.count) optimiser steps")
        try expect(
            close(model.w, w) && model.w.allSatisfy(\.isFinite),
            "with ρ 0 SAM's steps should be plain SGD's (weights \(format(w))), they are \(format(model.w))")
    }

    func trainsInTheLearner() throws {
        let sam = try answer { self.student.callback(0.05) }
        try ToyProblem.expectLearning(lossFunc: crossEntropy, cbs: [sam], what: "SAM")
    }
}
