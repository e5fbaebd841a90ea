import Foundation
import Testing

@testable import Media
@testable import Shared

/// Five steps of `torch.optim.Adam`/`AdamW` on fixed parameters and gradients, written by
/// `Tests/SharedTests/Fixtures/make_adam_fixtures.py`.
struct AdamFixtures: Decodable {
    struct Stored: Decodable {
        let shape: [Int]
        let data: [Float]
    }
    struct Options: Decodable {
        let lr: Float
        let betas: [Float]
        let eps: Float
        let weightDecay: Float

        enum CodingKeys: String, CodingKey {
            case lr, betas, eps
            case weightDecay = "weight_decay"
        }
    }
    struct Case: Decodable {
        let options: Options
        let initial: [Stored]
        /// `grads[step][parameter]`.
        let grads: [[Stored]]
        /// The parameters after each step, `after[step][parameter]`.
        let after: [[Stored]]
    }
    let torch: String
    let steps: Int
    let cases: [String: Case]

    static let shared: AdamFixtures = {
        guard let url = Bundle.module.url(forResource: "adam_fixtures", withExtension: "json") else {
            fatalError("adam_fixtures.json is missing from the test bundle")
        }
        do {
            return try JSONDecoder().decode(AdamFixtures.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()
}

/// The largest `|a − b| / |b|` over all elements.
func maxRelativeError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).map { Swift.abs($0 - $1) / Swift.max(Swift.abs($1), 1e-30) }.max() ?? 0
}

@Suite("Adam against torch.optim")
struct AdamTests {
    /// Runs the fixture case `name` through `Adam` on `device`; returns the largest relative error
    /// over every step and parameter, and that of the parameters after the last step.
    func replay(_ name: String, decoupled: Bool, device: Device = .cpu) -> (everyStep: Float, last: Float) {
        let fixture = AdamFixtures.shared.cases[name]!
        let o = fixture.options
        let params = fixture.initial.map { Parameter(Tensor($0.data, shape: $0.shape, device: device)) }
        let opt = Adam(
            params, lr: o.lr, beta1: o.betas[0], beta2: o.betas[1], eps: o.eps, wd: o.weightDecay,
            decoupled: decoupled)
        var worst: Float = 0, last: Float = 0
        for (grads, expected) in zip(fixture.grads, fixture.after) {
            for (p, g) in zip(params, grads) { p.grad = Tensor(g.data, shape: g.shape, device: device) }
            opt.step()
            last = zip(params, expected).map { maxRelativeError($0.toArray(), $1.data) }.max()!
            worst = Swift.max(worst, last)
        }
        #expect(opt.stepCount == AdamFixtures.shared.steps)
        return (worst, last)
    }

    @Test(arguments: [("adam", false), ("adam_fastai_betas", false), ("adam_l2", false), ("adamw", true)])
    func matchesTorchForFiveSteps(_ name: String, _ decoupled: Bool) {
        let error = replay(name, decoupled: decoupled)
        #expect(error.everyStep < 1e-5, "\(name): max relative error \(error.everyStep)")
    }

    /// The check can fail: the wrong kind of weight decay is caught.
    @Test func coupledAndDecoupledDecayDiffer() {
        #expect(replay("adamw", decoupled: false).last > 1e-4)
        #expect(replay("adam_l2", decoupled: true).last > 1e-4)
    }

    @Test func adamWFactoryDecouples() {
        let p = Parameter(Tensor([1, 2], shape: [2]))
        let opt = Adam.adamW([p], lr: 0.1)
        #expect(opt.decoupled && opt.wd == 0.01)
    }

    @Test func stepZeroesGradientsAndSkipsParametersWithout() {
        let a = Parameter(Tensor([1, -2, 3], shape: [3])), b = Parameter(Tensor([5], shape: [1]))
        a.grad = Tensor([0.5, 0.5, -0.5], shape: [3])
        let opt = Adam([a, b], lr: 0.1)
        opt.step()
        #expect(a.grad!.toArray() == [0, 0, 0])
        #expect(b.toArray() == [5])
        #expect(opt.moments[1] == nil)
        // The first step of Adam moves every weight by about lr, against its gradient's sign.
        #expect(a.toArray().enumerated().allSatisfy { i, v in Swift.abs(Swift.abs(v - [1, -2, 3][i]) - 0.1) < 1e-5 })
    }

    /// `mom` is β1, the handle `OneCycle` turns.
    @Test func momIsBeta1() {
        let opt = Adam([], lr: 0.1)
        opt.mom = 0.85
        #expect(opt.beta1 == 0.85)
    }

    @Test(.enabled(if: GPUTest.available, "no OpenCL device"))
    func matchesTorchOnTheGPU() {
        let error = replay("adamw", decoupled: true, device: .gpu)
        #expect(error.everyStep < 1e-5, "max relative error on the GPU \(error.everyStep)")
    }
}
