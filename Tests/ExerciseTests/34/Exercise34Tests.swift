import ExerciseSupport
import Foundation
import Shared
import Testing

@testable import Exercise34

@Suite("Exercise 34: cosine annealing in OneCycle", .exercise("34"))
struct Exercise34Tests {
    let cycle = CosineOneCycle(0.1)

    /// The rate at `pct`, computed by the student's code.
    func lr(_ pct: Float) throws -> Float { try answer { self.cycle.lr(at: pct) } }

    @Test func startPeakAndEnd() throws {
        #expect(close(try lr(0), 0.01, 1e-7))
        #expect(close(try lr(0.25), 0.1, 1e-7))
        #expect(close(try lr(1), 0, 1e-7))
    }

    @Test func halfwayPointsAreMidway() throws {
        // Half a cosine wave passes its midpoint halfway: (start + peak) / 2 and peak / 2.
        #expect(close(try lr(0.125), 0.055, 1e-6))
        #expect(close(try lr(0.625), 0.05, 1e-6))
    }

    @Test func followsTheCosineNotALine() throws {
        // A quarter of the way into the warm-up, a line would be at 0.0325.
        let warm = 0.01 + 0.09 * (1 - cos(Float.pi / 4)) / 2
        #expect(close(try lr(0.0625), warm, 1e-6))
        // A quarter of the way into the decay, a line would be at 0.075.
        #expect(close(try lr(0.4375), 0.1 * (1 + cos(Float.pi / 4)) / 2, 1e-6))
    }

    @Test func risesThenFalls() throws {
        let rates = try answer { (0...400).map { self.cycle.lr(at: Float($0) / 400) } }
        #expect(zip(rates[0...100], rates[1...100]).allSatisfy { $0 < $1 })
        #expect(zip(rates[100...], rates[101...]).allSatisfy { $0 > $1 })
        #expect(rates.allSatisfy { $0 >= 0 && $0 <= 0.1 + 1e-7 })
    }

    @Test func drivesTheOptimiserInTheLearner() throws {
        GlobalRandom.manualSeed(1)
        let cycle = CosineOneCycle(0.1)
        let learn = Learner(
            Sequential(Linear(4, 10)), toyData(96, seed: 3), lossFunc: crossEntropy, lr: 0.1, cbs: [cycle])
        learn.showProgress = false
        try answer { try learn.fit(4) }
        // 4 epochs of 5 training batches: batch k runs at pct k / 20.
        #expect(cycle.lrs.count == 20)
        for (k, rate) in cycle.lrs.enumerated() {
            #expect(close(rate, try lr(Float(k) / 20), 1e-7))
        }
        #expect(close(learn.opt.lr, cycle.lrs[19], 1e-7))
    }
}
