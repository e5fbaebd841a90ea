import ExerciseSupport
import Shared
import Testing

@testable import ExerciseR4

@Suite("Exercise R4: momentum in SGD", .exercise("R4"))
struct ExerciseR4Tests {
    /// Steps `p` on the loss `loss(p)` `steps` times and returns p's first element after each step.
    func trajectory(_ p: Parameter, _ opt: Optimizer, steps: Int, loss: @escaping (Tensor) -> Tensor) throws -> [Float]
    {
        try answer {
            (0..<steps).map { _ in
                loss(p).backward()
                opt.step()
                return p.toArray()[0]
            }
        }
    }

    @Test func matchesAHandComputedSequence() throws {
        // loss = p² / 2, so the gradient is p. lr 0.1, momentum 0.9, from p = 1:
        // v = 1,     p = 0.9
        // v = 1.8,   p = 0.72
        // v = 2.34,  p = 0.486
        // v = 2.592, p = 0.2268
        let p = Parameter(Tensor([1], shape: [1]))
        let path = try trajectory(p, MomentumSGD([p], lr: 0.1, momentum: 0.9), steps: 4) { ($0 * $0 / 2).sum() }
        for (ours, expected) in zip(path, [0.9, 0.72, 0.486, 0.2268] as [Float]) {
            #expect(close(ours, expected, 1e-6))
        }
    }

    @Test func weightDecayJoinsTheGradient() throws {
        // loss = 2p, gradient 2, wd 0.1, lr 0.1, momentum 0.9, from p = 1:
        // g = 2.1,   v = 2.1,   p = 0.79
        // g = 2.079, v = 3.969, p = 0.3931
        let p = Parameter(Tensor([1], shape: [1]))
        let path = try trajectory(p, MomentumSGD([p], lr: 0.1, momentum: 0.9, wd: 0.1), steps: 2) { ($0 * 2).sum() }
        #expect(close(path[0], 0.79, 1e-6))
        #expect(close(path[1], 0.3931, 1e-6))
    }

    @Test func zeroMomentumIsPlainSGD() throws {
        GlobalRandom.manualSeed(2)
        let a = Parameter(Tensor.randn([3, 2])), b = Parameter(a.copy())
        let target = Tensor.randn([3, 2])
        let loss = { (p: Tensor) in ((p - target) * (p - target)).sum() }
        _ = try trajectory(a, MomentumSGD([a], lr: 0.05, momentum: 0, wd: 0.01), steps: 3) { loss($0) }
        let plain = SGD([b], lr: 0.05, wd: 0.01)
        for _ in 0..<3 {
            loss(b).backward()
            plain.step()
        }
        #expect(close(a, b, 1e-6))
    }

    @Test func zeroesTheGradientsAndSkipsParametersWithout() throws {
        let used = Parameter(Tensor([1, 2], shape: [2])), unused = Parameter(Tensor([5], shape: [1]))
        let opt = MomentumSGD([used, unused], lr: 0.1)
        try answer {
            (used * used).sum().backward()
            opt.step()
        }
        #expect(used.grad.map { $0.toArray() == [0, 0] } ?? true)
        #expect(unused.toArray() == [5])
        #expect(close(used, Tensor([0.8, 1.6], shape: [2]), 1e-6))
    }

    @Test func trainsInTheLearnerAndFollowsSchedules() throws {
        GlobalRandom.manualSeed(1)
        let track = TrackResults()
        track.write = { _ in }
        let learn = Learner(
            Sequential(Linear(4, 10)), toyData(192, seed: 3), lossFunc: crossEntropy, lr: 0.1,
            cbs: [OneCycle(0.1), track], optFunc: { MomentumSGD($0, lr: $1) })
        learn.showProgress = false
        try answer { try learn.fit(3) }
        #expect(learn.opt is MomentumSGD)
        let train = track.history.filter(\.training)
        #expect(train.last!.loss < train.first!.loss)
        #expect(track.history.last!.accuracy > 0.6)
    }
}
