import ExerciseSupport
import Foundation
import Shared

/// What an answer to exercise R4 provides: its optimiser.
public struct MomentumAnswer {
    /// `MomentumSGD(params, lr: lr, momentum: momentum, wd: wd)`.
    public var make: (_ params: [Parameter], _ lr: Float, _ momentum: Float, _ wd: Float) -> Optimizer

    public init(make: @escaping (_ params: [Parameter], _ lr: Float, _ momentum: Float, _ wd: Float) -> Optimizer) {
        self.make = make
    }
}

/// The checks of exercise R4. The trajectories come from `torch.optim.SGD(momentum: …)` under a
/// learning rate that changes at every step (fixtures.json, written by make_fixtures.py): with a constant rate, some wrong forms
/// of momentum give the same path as PyTorch's.
public func checks(_ answer: MomentumAnswer) -> [Check] {
    let r4 = R4Checks(answer)
    return [
        Check("the example of the doc comment: 0.9, 0.72, 0.486", r4.docExample),
        Check("follows torch.optim.SGD(momentum: 0.9) while the learning rate changes", { try r4.trajectory(0) }),
        Check("follows torch.optim.SGD(momentum: 0.8, weight_decay: 0.1) too", { try r4.trajectory(1) }),
        Check("zeroes the gradients, and leaves parameters without one alone", r4.gradientsAndUnusedParameters),
        Check("a parameter whose first gradient comes later starts its own velocity then", r4.lateGradient),
        Check("momentum 0 is the workbook's SGD", r4.zeroMomentumIsSGD),
        Check("trains a model in the Learner, under OneCycle's schedule", r4.trainsInTheLearner),
        Check(
            "a learner fitted twice: each fit's new optimiser follows PyTorch's momentum from a fresh start", r4.twoFits
        )
    ]
}

struct EncodedTensor: Decodable {
    let shape: [Int], data: [Float]
    var tensor: Tensor { Tensor(data, shape: shape) }
}

/// One trajectory of fixtures.json: three parameters on the loss Σ c·p²/2 + d·p.
struct MomentumCase: Decodable {
    let name: String, momentum: Float, wd: Float, lrs: [Float]
    let start: [EncodedTensor], c: [EncodedTensor], d: [EncodedTensor]
    let trajectory: [[EncodedTensor]]

    static func load() throws -> [MomentumCase] {
        struct File: Decodable { let cases: [MomentumCase] }
        return try JSONDecoder().decode(File.self, from: Data(fixturesJSON.utf8)).cases
    }
}

/// The forms of momentum the checks can tell apart, simulated with plain arrays.
enum MomentumForm: CaseIterable {
    case pytorch, lrInsideVelocity, velocityRecreated, velocitySharedBetweenParameters, gradientsNotZeroed
    case weightDecayOutsideVelocity, dampened

    var mistake: String {
        switch self {
        case .pytorch: return ""
        case .lrInsideVelocity:
            return "the trajectory is that of the form with the learning rate inside the velocity "
                + "(v = μ·v + lr·g; p −= v): the question asks for PyTorch's, where lr multiplies the whole velocity "
                + "at each step; the two differ as soon as a schedule changes lr"
        case .velocityRecreated:
            return "the trajectory is plain SGD's: the velocity is not kept from one step to the next"
        case .velocitySharedBetweenParameters:
            return "two parameters of the same shape share one velocity: each parameter needs its own"
        case .gradientsNotZeroed:
            return "the gradients pile up from step to step: step() must zero each parameter's gradient afterwards"
        case .weightDecayOutsideVelocity:
            return "weight decay is applied outside the velocity: PyTorch adds wd·p to the gradient before the "
                + "velocity is updated"
        case .dampened:
            return "the velocity's new gradient is scaled by (1 − momentum) (dampening); PyTorch's default adds it "
                + "whole"
        }
    }

    /// p after each step of `c`, for this form.
    func simulate(_ c: MomentumCase) -> [[[Float]]] {
        var p = c.start.map(\.data)
        var v: [[Float]?] = Array(repeating: nil, count: p.count)
        var pendingGradient: [[Float]] = p.map { [Float](repeating: 0, count: $0.count) }
        var shared: [[Int]: [Float]] = [:]
        var path: [[[Float]]] = []
        for lr in c.lrs {
            for i in p.indices {
                var g = (0..<p[i].count).map { (k: Int) -> Float in c.c[i].data[k] * p[i][k] + c.d[i].data[k] }
                if self == .gradientsNotZeroed {
                    g = zip(g, pendingGradient[i]).map(+)
                    pendingGradient[i] = g
                }
                if self != .weightDecayOutsideVelocity { g = zip(g, p[i]).map { $0 + c.wd * $1 } }
                let shape = c.start[i].shape
                let previous: [Float]? =
                    switch self {
                    case .velocityRecreated: nil
                    case .velocitySharedBetweenParameters: shared[shape]
                    default: v[i]
                    }
                var velocity: [Float]
                switch self {
                case .lrInsideVelocity:
                    velocity = previous.map { zip($0, g).map { c.momentum * $0 + lr * $1 } } ?? g.map { lr * $0 }
                case .dampened:
                    velocity = previous.map { zip($0, g).map { c.momentum * $0 + (1 - c.momentum) * $1 } } ?? g
                default:
                    velocity = previous.map { zip($0, g).map { c.momentum * $0 + $1 } } ?? g
                }
                v[i] = velocity
                shared[shape] = velocity
                let step = self == .lrInsideVelocity ? velocity : velocity.map { lr * $0 }
                p[i] = zip(p[i], step).map { $0 - $1 }
                if self == .weightDecayOutsideVelocity {
                    // p −= lr·(v + wd·p), with v built from the raw gradient.
                    let before = zip(p[i], step).map { $0 + $1 }
                    p[i] = zip(p[i], before).map { $0 - lr * c.wd * $1 }
                }
            }
            path.append(p)
        }
        return path
    }
}

/// PyTorch's momentum written here on tensors, for the learner check: v ← μ·v + g (v = g at a
/// parameter's first gradient), p ← p − lr·v, then the gradient is zeroed.
final class TorchMomentum: Optimizer {
    let params: [Parameter]
    var lr: Float
    let momentum: Float
    var buffers: [Tensor?]

    init(_ params: [Parameter], lr: Float, momentum: Float) {
        self.params = params
        self.lr = lr
        self.momentum = momentum
        buffers = Array(repeating: nil, count: params.count)
    }

    func step() {
        noGrad {
            for (i, p) in params.enumerated() {
                guard let g = p.grad else { continue }
                let v = buffers[i].map { $0 * momentum + g } ?? g.copy()
                buffers[i] = v
                p -= v * lr
                g.zero()
            }
        }
    }
}

struct R4Checks {
    let student: MomentumAnswer
    init(_ student: MomentumAnswer) { self.student = student }

    /// The student's optimiser run on case `c`: p after each step.
    func run(_ c: MomentumCase) throws -> [[[Float]]] {
        let params = c.start.map { Parameter($0.tensor) }
        let (cs, ds) = (c.c.map(\.tensor), c.d.map(\.tensor))
        let opt = try answer { self.student.make(params, c.lrs[0], c.momentum, c.wd) }
        var path: [[[Float]]] = []
        for lr in c.lrs {
            opt.lr = lr
            try answer {
                var loss = Tensor(0)
                for (i, p) in params.enumerated() { loss = loss + (cs[i] * p * p / 2 + ds[i] * p).sum() }
                loss.backward()
                opt.step()
            }
            path.append(params.map { $0.toArray() })
        }
        return path
    }

    func agree(_ a: [[[Float]]], _ b: [[[Float]]]) -> Bool {
        guard a.count == b.count else { return false }
        for (stepA, stepB) in zip(a, b) {
            for (pa, pb) in zip(stepA, stepB)
            where pa.count != pb.count
                || zip(pa, pb).contains(where: {
                    Swift.abs($0 - $1) > 1e-4 * Swift.max(1, Swift.abs($1))
                })
            { return false }
        }
        return true
    }

    func docExample() throws {
        let p = Parameter(Tensor([1], shape: [1]))
        let opt = try answer { self.student.make([p], 0.1, 0.9, 0) }
        var path: [Float] = []
        for _ in 0..<3 {
            try answer {
                (p * p / 2).sum().backward()
                opt.step()
            }
            path.append(p.toArray()[0])
        }
        func goes(_ expected: [Float]) -> Bool { zip(path, expected).allSatisfy { Swift.abs($0 - $1) < 1e-5 } }
        // Nesterov's form steps along g + μ·v: 1 − 0.1·(1 + 0.9) = 0.81 first.
        try expect(
            !goes([0.81, 0.5751, 0.327321]),
            "on p²/2 from p = 1 (lr 0.1, momentum 0.9) p goes 0.81, 0.5751, 0.3273: the step is along g + μ·v, "
                + "Nesterov's momentum (PyTorch's nesterov: true); plain momentum steps along the velocity v itself")
        try expect(
            !goes([0.99, 0.882, 0.6966]),
            "on p²/2 from p = 1 (lr 0.1, momentum 0.9) the first step is 0.01, not 0.1: the first velocity should be "
                + "the first gradient itself, as PyTorch's momentum buffer starts")
        try expect(
            !goes([0.9, 0.8, 0.62]),
            "on p²/2 from p = 1 (lr 0.1, momentum 0.9) p goes 0.9, 0.8, 0.62: each step uses the velocity of the "
                + "step before; update the velocity with this step's gradient first, then step along it")
        try expect(
            goes([0.9, 0.72, 0.486]),
            "on p²/2 from p = 1 (lr 0.1, momentum 0.9) p should go 0.9, 0.72, 0.486; it goes "
                + path.map { cFormat("%.6g", Double($0)) }.joined(separator: ", "))
    }

    /// Two parameters of the same shape, stepped together: an optimiser with one velocity for all
    /// parameters mixes their steps (and would stop the program on parameters of different shapes,
    /// so this runs before every check that has some).
    func velocityPerParameter() throws {
        let a = Parameter(Tensor([1, 1], shape: [2])), b = Parameter(Tensor([1, 1], shape: [2]))
        let opt = try answer { self.student.make([a, b], 0.1, 0.9, 0) }
        for _ in 0..<2 {
            try answer {
                (a * 2 + b * b / 2).sum().backward()
                opt.step()
            }
        }
        // a's gradient is always 2: v = 2, then 3.8, so a = 1 − 0.2 − 0.38; b's is b: 1, then 0.9·1 + 0.9.
        let (pa, pb) = (a.toArray()[0], b.toArray()[0])
        if Swift.abs(pa - 0.42) < 1e-5 && Swift.abs(pb - 0.72) < 1e-5 { return }
        // One velocity for both, updated by a and then by b at every step.
        var (sa, sb, v): (Float, Float, Float?) = (1, 1, nil)
        for _ in 0..<2 {
            v = v.map { 0.9 * $0 + 2 } ?? 2
            sa -= 0.1 * v!
            v = 0.9 * v! + sb
            sb -= 0.1 * v!
        }
        // Other mistakes are told apart by the checks that follow.
        try expect(
            !(Swift.abs(pa - sa) < 1e-4 && Swift.abs(pb - sb) < 1e-4),
            "two parameters of the same shape share one velocity: each parameter needs its own")
    }

    func trajectory(_ index: Int) throws {
        try velocityPerParameter()
        let c = try MomentumCase.load()[index]
        let ours = try run(c)
        let expected = c.trajectory.map { $0.map(\.data) }
        if agree(ours, expected) { return }
        for form in MomentumForm.allCases where form != .pytorch && agree(ours, form.simulate(c)) {
            throw CheckFailure("\(form.mistake) (\(c.name))")
        }
        let firstOff = ours.indices.first { !agree([ours[$0]], [expected[$0]]) } ?? 0
        throw CheckFailure(
            "\(c.name): after step \(firstOff + 1) (lr \(c.lrs[firstOff])) the first parameter should be "
                + "\(expected[firstOff][0].map { cFormat("%.5g", Double($0)) }), it is "
                + "\(ours[firstOff][0].map { cFormat("%.5g", Double($0)) })")
    }

    func gradientsAndUnusedParameters() throws {
        let used = Parameter(Tensor([1, 2], shape: [2])), unused = Parameter(Tensor([5], shape: [1]))
        let opt = try answer { self.student.make([used, unused], 0.1, 0.9, 0.1) }
        for step in 1...2 {
            try answer {
                (used * used).sum().backward()
                opt.step()
            }
            try expect(
                used.grad.map { $0.toArray().allSatisfy { $0 == 0 } } ?? true,
                "after step \(step) the gradient is still there: step() must zero each parameter's gradient")
            try expect(
                unused.toArray() == [5],
                "a parameter without a gradient moved (to \(unused.toArray())): leave it alone, as PyTorch does, "
                    + "even with weight decay")
        }
    }

    /// A parameter that gets its first gradient only at step 2 (a branch the loss uses only
    /// sometimes) starts its own velocity then, while the other keeps its own.
    func lateGradient() throws {
        let late = Parameter(Tensor([1, -1], shape: [2])), always = Parameter(Tensor([2, 4], shape: [2]))
        let opt = try answer { self.student.make([late, always], 0.1, 0.9, 0) }
        // PyTorch's rule, by hand: v ← μ·v + g (v = g at a parameter's first gradient), p ← p − lr·v.
        var expected: [[Float]] = [[1, -1], [2, 4]]
        var velocity: [[Float]?] = [nil, nil]
        for step in 1...3 {
            try answer {
                var loss = (always * always).sum() * 0.5
                if step > 1 { loss = loss + (late * 3).sum() }
                loss.backward()
                opt.step()
            }
            let gradients: [[Float]?] = [step > 1 ? [3, 3] : nil, expected[1]]
            for i in 0..<2 {
                guard let g = gradients[i] else { continue }
                let v = velocity[i].map { zip($0, g).map { 0.9 * $0 + $1 } } ?? g
                velocity[i] = v
                expected[i] = zip(expected[i], v).map { $0 - 0.1 * $1 }
            }
            let got = [late.toArray(), always.toArray()]
            let close = zip(got.joined(), expected.joined()).allSatisfy { Swift.abs($0 - $1) < 1e-5 }
            try expect(
                close,
                "params [late, other], where late gets its first gradient (3, 3) at step 2: after step \(step) "
                    + "they should be \(expected.map { $0.map { cFormat("%.4g", Double($0)) } }), they are "
                    + "\(got.map { $0.map { cFormat("%.4g", Double($0)) } })"
                    + (step == 1
                        ? ""
                        : ": each parameter's velocity belongs to it (is it looked up by the parameter's place among "
                            + "those that have a gradient this step?)"))
        }
    }

    func zeroMomentumIsSGD() throws {
        GlobalRandom.manualSeed(2)
        let a = Parameter(Tensor.randn([3, 2])), b = Parameter(a.copy())
        let target = Tensor.randn([3, 2])
        let loss = { (p: Tensor) in ((p - target) * (p - target)).sum() }
        let opt = try answer { self.student.make([a], 0.05, 0, 0.01) }
        let plain = SGD([b], lr: 0.05, wd: 0.01)
        for lr: Float in [0.05, 0.2, 0.01] {
            opt.lr = lr
            plain.lr = lr
            try answer {
                loss(a).backward()
                opt.step()
            }
            loss(b).backward()
            plain.step()
        }
        let difference = zip(a.toArray(), b.toArray()).map { Swift.abs($0 - $1) }.max() ?? 0
        try expect(difference < 1e-5, "with momentum 0 the steps should be plain SGD's (off by \(difference))")
    }

    /// The same learner fitted twice under OneCycle, beside a twin whose optimiser is PyTorch's
    /// momentum written here: each fit makes a new optimiser, whose velocities start afresh, and the
    /// weights after each fit must agree.
    func twoFits() throws {
        try velocityPerParameter()
        func twin(_ optFunc: @escaping ([Parameter], Float) -> Optimizer) -> Learner {
            GlobalRandom.manualSeed(1)
            let learn = Learner(
                Sequential(Linear(4, 10)), ToyProblem.loaders(96, seed: 3), lossFunc: crossEntropy, lr: 0.1,
                cbs: [OneCycle(0.1)], optFunc: optFunc)
            learn.showProgress = false
            return learn
        }
        let theirs = twin { params, lr in self.student.make(params, lr, 0.9, 0) }
        let ours = twin { params, lr in TorchMomentum(params, lr: lr, momentum: 0.9) }
        for fit in 1...2 {
            try answer { try theirs.fit(1) }
            try ours.fit(1)
            let (got, want) = (theirs.model.parameters(), ours.model.parameters())
            let difference =
                zip(got, want).map { pair in
                    zip(pair.0.toArray(), pair.1.toArray()).map { Swift.abs($0 - $1) }.max() ?? 0
                }.max() ?? 0
            try expect(
                difference < 1e-4,
                "after fit \(fit) of a learner under OneCycle the weights are off PyTorch's momentum by up to "
                    + "\(cFormat("%.3g", Double(difference)))"
                    + (fit == 2
                        ? ": each fit makes a new optimiser, whose velocities start from the first gradient it sees"
                        : ""))
            try expect(
                got.allSatisfy { $0.grad.map { $0.toArray().allSatisfy { $0 == 0 } } ?? true },
                "after fit \(fit) some parameter still holds a gradient: step() must zero each one, so that the "
                    + "learner's next step starts from a clean slate")
        }
    }

    func trainsInTheLearner() throws {
        try velocityPerParameter()
        GlobalRandom.manualSeed(1)
        var g = SeededGenerator(seed: 3)
        let x = Tensor.randn([192, 4], using: &g), y = x.argmax(axis: 1)
        let data = DataLoaders(InMemoryBatches(x: x, y: y, bs: 16), InMemoryBatches(x: x, y: y, bs: 64))
        let track = TrackResults()
        track.write = { _ in }
        let learn = Learner(
            Sequential(Linear(4, 10)), data, lossFunc: crossEntropy, lr: 0.1, cbs: [OneCycle(0.1), track],
            optFunc: { params, lr in self.student.make(params, lr, 0.9, 0) })
        learn.showProgress = false
        try answer { try learn.fit(3) }
        let train = track.history.filter(\.training)
        try expect(
            train.count == 3 && train.last!.loss < train.first!.loss,
            "three epochs in the Learner did not lower the training loss: "
                + train.map { cFormat("%.4f", Double($0.loss)) }.joined(separator: ", "))
        let accuracy = track.history.last!.accuracy
        try expect(accuracy > 0.6, "after three epochs the accuracy is only \(accuracy) (expected above 0.6)")
    }
}
