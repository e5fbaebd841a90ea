import Testing

@testable import Shared

@Suite("OneCycle cycles momentum")
struct OneCycleMomentumTests {
    func learner(_ cbs: [LearnerCallback], opt: @escaping ([Parameter], Float) -> Optimizer) -> Learner {
        GlobalRandom.manualSeed(1)
        let learn = Learner(
            Sequential(Linear(4, 10)), toyData(96, seed: 3), lossFunc: crossEntropy, lr: 0.1, cbs: cbs, optFunc: opt)
        learn.showProgress = false
        return learn
    }

    @Test func momentumMirrorsTheRate() {
        let cycle = OneCycleWithMomentum(0.1)
        #expect(Swift.abs(cycle.mom(at: 0) - 0.95) < 1e-6)
        #expect(Swift.abs(cycle.mom(at: 0.125) - 0.90) < 1e-6)
        #expect(Swift.abs(cycle.mom(at: 0.25) - 0.85) < 1e-6)
        #expect(Swift.abs(cycle.mom(at: 0.625) - 0.90) < 1e-6)
        #expect(Swift.abs(cycle.mom(at: 1) - 0.95) < 1e-6)
    }

    @Test func adamsBeta1FollowsTheCycle() throws {
        let cycle = OneCycleWithMomentum(0.1)
        let learn = learner([cycle]) { Adam($0, lr: $1) }
        try learn.fit(4)
        #expect(cycle.momentums.count == 20)
        #expect(Swift.abs(cycle.momentums[0] - 0.95) < 1e-6)
        #expect(Swift.abs(cycle.momentums[5] - 0.85) < 1e-6)
        #expect((learn.opt as! Adam).beta1 == cycle.momentums[19])
    }

    /// SGD has no momentum: the schedule leaves it alone and records none.
    @Test func sgdIsLeftAlone() throws {
        let cycle = OneCycleWithMomentum(0.1)
        try learner([cycle]) { SGD($0, lr: $1) }.fit(1)
        #expect(cycle.momentums.isEmpty)
        #expect(cycle.lrs.count == 5)
    }
}
