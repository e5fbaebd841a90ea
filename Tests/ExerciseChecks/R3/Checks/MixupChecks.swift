import ExerciseSupport
import Foundation
import Shared

/// What an answer to exercise R3 provides: its Mixup callback.
public struct MixupAnswer {
    /// `Mixup(alpha: alpha, seed: seed)`.
    public var callback: (_ alpha: Float, _ seed: UInt64) -> LearnerCallback

    public init(callback: @escaping (_ alpha: Float, _ seed: UInt64) -> LearnerCallback) { self.callback = callback }
}

/// The checks of exercise R3. They do not take the callback's word for λ or the partners: both are
/// worked out from the batches the model was given, and the loss is recomputed from them.
public func checks(_ answer: MixupAnswer) -> [Check] {
    let r3 = R3Checks(answer)
    return [
        Check("training inputs are blends of two rows of the batch, with one λ per batch", r3.inputsAreBlends),
        Check("the loss blends the labels with the same λ and partners as the inputs", r3.lossBlendsTheLabels),
        Check("validation batches and their loss are left alone", r3.validationLeftAlone),
        Check("after fit the learner has its own loss function back", r3.lossFunctionRestored),
        Check(
            "a second fit of the same learner mixes too, with the learner's own loss, and gives it back after",
            r3.secondFit),
        Check(
            "λ follows Beta(α, α) folded into [0.5, 1], a new draw each batch (α = 0.4 and 2)", r3.lambdaDistribution),
        Check("trains a model with the Learner", r3.trainsInTheLearner)
    ]
}

/// Keeps each batch as it arrives, before Mixup (put it first in `cbs`): copies, since an answer may
/// blend the batch's own tensor in place.
final class BatchesIn: Callback {
    var inputs: [Tensor] = [], targets: [Tensor] = []
    override func beforeBatch() throws {
        inputs.append(self.batch!.x.copy())
        targets.append(self.batch!.y.copy())
    }
}

/// Keeps what the model was given for each batch, its output and the loss the learner computed.
final class BatchesSeen: Callback {
    var inputs: [Tensor] = [], targets: [Tensor] = [], outputs: [Tensor] = [], losses: [Float] = []
    var training: [Bool] = []
    override func afterBatch() throws {
        inputs.append(self.batch!.x)
        targets.append(self.batch!.y)
        outputs.append(self.preds!.detach())
        losses.append(self.loss!.item())
        training.append(self.learner!.training)
    }
}

/// A loss function passed through unchanged, unless a call reaches it again before returning (a wrapper
/// that leads back to itself): that call gets a zero loss instead of recursing without end, and
/// `reentered` records it.
final class ReentryWatch {
    private let wrapped: (Tensor, Tensor) -> Tensor
    private var depth = 0
    private(set) var reentered = false

    init(_ wrapped: @escaping (Tensor, Tensor) -> Tensor) { self.wrapped = wrapped }

    func call(_ preds: Tensor, _ y: Tensor) -> Tensor {
        guard depth == 0 else {
            reentered = true
            return crossEntropy(preds, y) * 0
        }
        depth += 1
        defer { depth -= 1 }
        return wrapped(preds, y)
    }
}

/// How one training batch was blended, as worked out from the inputs.
struct Blend {
    /// λ of each row (nil for rows that came through unchanged) and the row each was blended with.
    var lambdas: [Double?], partners: [Int]
}

struct R3Checks {
    let student: MixupAnswer
    init(_ student: MixupAnswer) { self.student = student }

    /// Points in `dim` dimensions whose class (of `dim`) is their largest coordinate.
    func data(train: Int, valid: Int, bs: Int, dim: Int = 4, seed: UInt64 = 3) -> DataLoaders {
        var g = SeededGenerator(seed: seed)
        let x = Tensor.randn([train, dim], using: &g), xv = Tensor.randn([valid, dim], using: &g)
        return DataLoaders(
            InMemoryBatches(x: x, y: x.argmax(axis: 1), bs: bs), InMemoryBatches(x: xv, y: xv.argmax(axis: 1), bs: bs))
    }

    /// Fits a linear model for one epoch with the student's Mixup between the two spies.
    func run(alpha: Float = 0.4, seed: UInt64 = 11, train: Int = 96, valid: Int = 32, bs: Int = 16, dim: Int = 4)
        throws -> (before: BatchesIn, seen: BatchesSeen, learner: Learner)
    {
        GlobalRandom.manualSeed(1)
        let before = BatchesIn(), seen = BatchesSeen()
        let mixup = try answer { self.student.callback(alpha, seed) }
        let learn = Learner(
            Sequential(Linear(dim, dim)), data(train: train, valid: valid, bs: bs, dim: dim), lossFunc: crossEntropy,
            lr: 0.1, cbs: [before, mixup, seen])
        learn.showProgress = false
        try answer { try learn.fit(1) }
        try expect(
            seen.inputs.count == before.inputs.count && seen.training == seen.training.sorted { $0 && !$1 },
            "the learner did not see every batch once (a callback must not skip or repeat batches)")
        return (before, seen, learn)
    }

    /// Works out λ and partners of a training batch from the original rows `x` and the blended `m`.
    func blend(_ x: Tensor, _ m: Tensor, batch: Int) throws -> Blend {
        try expect(
            m.shape == x.shape,
            "training batch \(batch + 1) reached the model with shape \(m.shape), not \(x.shape): blend, don't add rows"
        )
        let (n, d) = (x.shape[0], x.shape[1])
        let xs = x.toArray().map(Double.init), ms = m.toArray().map(Double.init)
        func row(_ v: [Double], _ i: Int) -> ArraySlice<Double> { v[i * d..<(i + 1) * d] }
        var lambdas: [Double?] = [], partners: [Int] = []
        for i in 0..<n {
            let (xi, mi) = (row(xs, i), row(ms, i))
            // A row blended with itself comes back equal up to rounding.
            if zip(xi, mi).allSatisfy({ Swift.abs($0 - $1) <= 1e-6 * Swift.max(1, Swift.abs($0)) }) {
                lambdas.append(nil)
                partners.append(i)
                continue
            }
            var best: (residual: Double, lambda: Double, j: Int) = (.infinity, 0, -1)
            for j in 0..<n where j != i {
                let xj = row(xs, j)
                let diff = zip(xi, xj).map(-), target = zip(mi, xj).map(-)
                let dd = diff.map { $0 * $0 }.reduce(0, +)
                guard dd > 1e-12 else { continue }
                let lambda = zip(target, diff).map(*).reduce(0, +) / dd
                let residual = zip(target, diff).map { $0 - lambda * $1 }.map { $0 * $0 }.reduce(0, +).squareRoot()
                if residual < best.residual { best = (residual, lambda, j) }
            }
            try expect(
                best.residual < 1e-4,
                "row \(i) of training batch \(batch + 1) is not a blend λ·x[i] + (1 − λ)·x[j] of two rows of the "
                    + "batch")
            lambdas.append(best.lambda)
            partners.append(best.j)
        }
        return Blend(lambdas: lambdas, partners: partners)
    }

    func trainingBlends(_ before: BatchesIn, _ seen: BatchesSeen) throws -> [Blend] {
        try seen.training.indices.filter { seen.training[$0] }.map { b in
            try blend(before.inputs[b], seen.inputs[b], batch: b)
        }
    }

    func inputsAreBlends() throws {
        let (before, seen, _) = try run()
        let blends = try trainingBlends(before, seen)
        try expect(blends.count == 6, "one epoch of 96 points in batches of 16 should give 6 training batches")
        try partnersDrawnPerBatch(blends)
        let blended = blends.filter { $0.lambdas.contains { $0 != nil } }.count
        try expect(
            blended * 2 > blends.count,
            "\(blends.count - blended) of \(blends.count) training batches reached the model unchanged: each row "
                + "should be blended with another row of the batch (a random permutation of its rows)")
        for (b, blend) in blends.enumerated() {
            let lambdas = blend.lambdas.compactMap { $0 }
            // With λ within 0.001 of 1 a row's blend may round back to the row itself.
            try expect(
                lambdas.isEmpty || lambdas.count > blend.lambdas.count / 2 || lambdas.contains { $0 > 0.999 },
                "in training batch \(b + 1) most rows are unchanged: blend each row with a partner drawn by a random "
                    + "permutation of the batch's rows (mixing a row with itself changes nothing)")
            let spread = (lambdas.max() ?? 0) - (lambdas.min() ?? 0)
            try expect(
                spread < 1e-4,
                "the rows of training batch \(b + 1) are blended with different λs (from "
                    + "\(cFormat("%.3f", lambdas.min() ?? 0)) to \(cFormat("%.3f", lambdas.max() ?? 0))): "
                    + "draw one λ per batch")
            try expect(
                lambdas.allSatisfy { $0 >= 0.5 - 1e-4 && $0 <= 1 + 1e-4 },
                "training batch \(b + 1) is blended with λ = \(cFormat("%.3f", lambdas[0])): λ should lie in "
                    + "[0.5, 1], as drawLambda() gives it, so that each row stays mostly itself")
            // With λ within 0.0001 of 1 a blend is too faint to tell its partner reliably.
            try expect(
                lambdas.contains { $0 > 0.9999 } || Set(blend.partners).count == blend.partners.count,
                "in training batch \(b + 1) some row is the partner of two rows: partners should be a permutation")
            try expect(
                seen.targets[b].toArray() == before.targets[b].toArray(),
                "the targets of training batch \(b + 1) changed: keep y as it is, and blend the losses instead")
        }
    }

    func partnersDrawnPerBatch(_ blends: [Blend]) throws {
        // A batch whose rows were told apart shows its whole permutation (an unchanged row is its own
        // partner); with λ near 1 a blend is too faint to tell its partner reliably.
        let complete = blends.filter { blend in
            let lambdas = blend.lambdas.compactMap { $0 }
            return !lambdas.isEmpty && lambdas.allSatisfy { $0 < 0.999 }
                && Set(blend.partners).count == blend.partners.count
        }
        try expect(
            complete.count < 2 || Set(complete.map(\.partners)).count > 1,
            "every training batch pairs its rows the same way (partners \(complete.first?.partners ?? [])): draw a "
                + "new random permutation for each batch, as λ is drawn anew")
    }

    /// Cross entropy of each row of `preds` [N, C] at class `labels[i]`, in Double.
    func rowLosses(_ preds: Tensor, _ labels: [Int]) -> [Double] {
        let c = preds.shape[1]
        let p = preds.toArray().map(Double.init)
        return labels.indices.map { i in
            let row = p[i * c..<(i + 1) * c]
            let m = row.max()!
            return m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +)) - p[i * c + labels[i]]
        }
    }

    func lossBlendsTheLabels() throws {
        let (before, seen, _) = try run()
        let blends = try trainingBlends(before, seen)
        for (b, blend) in blends.enumerated() {
            let labels = before.targets[b].toArray().map { Int($0) }
            let own = rowLosses(seen.outputs[b], labels)
            let partner = rowLosses(seen.outputs[b], blend.partners.map { labels[$0] })
            let lambdas = blend.lambdas.map { $0 ?? 1 }
            let n = Double(labels.count)
            let expected = zip(lambdas, zip(own, partner)).map { $0 * $1.0 + (1 - $0) * $1.1 }.reduce(0, +) / n
            let loss = Double(seen.losses[b])
            if Swift.abs(loss - expected) < 1e-4 * Swift.max(1, expected) { continue }
            let plain = own.reduce(0, +) / n, partnerOnly = partner.reduce(0, +) / n
            if Swift.abs(loss - plain) < 1e-4 * Swift.max(1, plain) {
                throw CheckFailure(
                    "the loss of training batch \(b + 1) is the plain loss against y: the labels are not mixed "
                        + "(the loss should blend the losses against y and y[partners] with the inputs' λ)")
            }
            // A loss that blends the two with some other weight: λ drawn twice?
            if Swift.abs(plain - partnerOnly) > 1e-3 {
                let weight = (loss - partnerOnly) / (plain - partnerOnly)
                let inputLambda = lambdas.first { $0 < 1 } ?? 1
                if inputLambda < 0.999 && Swift.abs(weight - (1 - inputLambda)) < 1e-3 {
                    throw CheckFailure(
                        "the loss of training batch \(b + 1) gives 1 − λ to the loss against y and λ to the one "
                            + "against y[partners]: the other way round, as the inputs (λ·x + (1 − λ)·x[partners]) "
                            + "(λ = \(cFormat("%.3f", inputLambda)))")
                }
                if weight >= 0 && weight <= 1 {
                    throw CheckFailure(
                        "the loss of training batch \(b + 1) blends the labels with λ = \(cFormat("%.3f", weight)), "
                            + "but the inputs were blended with λ = \(cFormat("%.3f", lambdas.first { $0 < 1 } ?? 1)): "
                            + "use the same λ (and the same partners) for both")
                }
            }
            throw CheckFailure(
                "the loss of training batch \(b + 1) is \(cFormat("%.5f", loss)); blending the losses against y and "
                    + "y[partners] with the inputs' λ gives \(cFormat("%.5f", expected))")
        }
    }

    func validationLeftAlone() throws {
        let (before, seen, _) = try run()
        for b in seen.training.indices where !seen.training[b] {
            try expect(
                seen.inputs[b].toArray() == before.inputs[b].toArray(),
                "a validation batch was changed: Mixup is for training batches only")
            let plain = crossEntropy(seen.outputs[b], seen.targets[b]).item()
            try expect(
                Swift.abs(seen.losses[b] - plain) < 1e-5,
                "a validation batch's loss (\(seen.losses[b])) is not the plain loss (\(plain)): validation must "
                    + "not mix the labels either")
        }
    }

    func lossFunctionRestored() throws {
        // A fit cancelled in the middle of a training batch: Mixup's state is that of a training batch
        // when afterFit runs, so a loss function left in place would still mix.
        final class CancelAfterTwo: Callback {
            var batches = 0
            override func afterBatch() throws {
                batches += 1
                if batches == 2 { throw CancelFitError() }
            }
        }
        GlobalRandom.manualSeed(1)
        let mixup = try answer { self.student.callback(0.4, 11) }
        let learn = Learner(
            Sequential(Linear(4, 4)), data(train: 96, valid: 32, bs: 16), lossFunc: Self.sharperCrossEntropy, lr: 0.1,
            cbs: [mixup, CancelAfterTwo()])
        learn.showProgress = false
        try answer { try learn.fit(1) }
        if let problem = try lossFunctionProblem(learn) {
            throw CheckFailure("after a fit (here one cancelled during a training batch) " + problem)
        }
    }

    /// What is wrong with the loss function `learn` has after a fit, whose own is
    /// `sharperCrossEntropy`, or nil.
    func lossFunctionProblem(_ learn: Learner) throws -> String? {
        GlobalRandom.manualSeed(2)
        let preds = Tensor.randn([16, 4]), y = Tensor((0..<16).map { Float($0 % 4) }, shape: [16])
        let ours = try answer { learn.lossFunc(preds, y).item() }
        let plain = Self.sharperCrossEntropy(preds, y).item()
        if Swift.abs(ours - plain) < 1e-6 { return nil }
        if Swift.abs(ours - crossEntropy(preds, y).item()) < 1e-6 {
            return "the learner's lossFunc is crossEntropy, but the learner had its own (here cross entropy of "
                + "2·preds): give back the loss function the learner had before the fit, whatever it was"
        }
        return "the learner's lossFunc gives \(ours) where its own gives \(plain): give the learner its own loss "
            + "function back when the fit ends"
    }

    /// A learner's own loss function that is not `crossEntropy`, so that an answer that blends, or
    /// gives back, `crossEntropy` instead of the learner's own is told so.
    static let sharperCrossEntropy: (Tensor, Tensor) -> Tensor = { preds, y in crossEntropy(preds * 2, y) }

    /// Two fits of the same learner (3 training batches and 1 validation batch each), whose own loss
    /// is `sharperCrossEntropy`; then a third without Mixup in `cbs`, which must train plainly.
    func secondFit() throws {
        GlobalRandom.manualSeed(1)
        let before = BatchesIn(), seen = BatchesSeen()
        let mixup = try answer { self.student.callback(0.4, 11) }
        let learn = Learner(
            Sequential(Linear(4, 4)), data(train: 48, valid: 16, bs: 16), lossFunc: Self.sharperCrossEntropy,
            lr: 0.1, cbs: [before, mixup, seen])
        learn.showProgress = false
        try answer { try learn.fit(1) }
        if let problem = try lossFunctionProblem(learn) { throw CheckFailure("after the first fit " + problem) }
        // The second fit runs on what the answer left. A watcher that only passes calls on sits between:
        // a wrapper left in place that reaches itself again through the learner ends there, not in a
        // stack overflow, and is named.
        let left = ReentryWatch(learn.lossFunc)
        learn.lossFunc = left.call
        try answer { try learn.fit(1) }
        if left.reentered {
            throw CheckFailure(
                "in fit 2 of the same learner the loss function Mixup set in the first fit was still the learner's, "
                    + "and calling it led back to itself without end: give the learner its own loss function back "
                    + "when the fit ends")
        }
        try expect(
            seen.inputs.count == 8 && before.inputs.count == 8,
            "two fits of 3 training and 1 validation batch each should show the learner 8 batches; it saw "
                + "\(seen.inputs.count) (a callback must not skip or repeat batches)")
        for b in seen.training.indices {
            let (fit, k) = (b / 4 + 1, b % 4 + 1)
            let labels = before.targets[b].toArray().map { Int($0) }
            let n = Double(labels.count)
            let own = rowLosses(seen.outputs[b] * 2, labels)
            let plain = own.reduce(0, +) / n
            let loss = Double(seen.losses[b])
            func near(_ x: Double) -> Bool { Swift.abs(loss - x) < 1e-4 * Swift.max(1, x) }
            guard seen.training[b] else {
                try expect(
                    near(plain),
                    "in fit \(fit) the validation batch's loss (\(cFormat("%.5f", loss))) is not the learner's own "
                        + "loss (\(cFormat("%.5f", plain))): validation must not mix the labels")
                continue
            }
            let blend = try self.blend(before.inputs[b], seen.inputs[b], batch: b % 4)
            let lambdas = blend.lambdas.map { $0 ?? 1 }
            func blended(_ rows: ([Int]) -> [Double]) -> Double {
                let (mine, theirs) = (rows(labels), rows(blend.partners.map { labels[$0] }))
                return zip(lambdas, zip(mine, theirs)).map { $0 * $1.0 + (1 - $0) * $1.1 }.reduce(0, +) / n
            }
            let expected = blended { rowLosses(seen.outputs[b] * 2, $0) }
            if near(expected) { continue }
            let mixed = lambdas.contains { $0 < 0.999 }
            if mixed && near(plain) {
                throw CheckFailure(
                    "in fit \(fit) of the same learner the inputs of training batch \(k) are blended but its loss "
                        + "is the plain loss against y: "
                        + (fit == 2
                            ? "the labels are mixed in the first fit only (is the loss function wrapped again in every "
                                + "fit?)" : "the labels are not mixed")
                        + "; the loss should blend the learner's own loss against y and y[partners]")
            }
            // Mixup's own wrapper, left in place by the first fit and wrapped again: λ² and 1 − λ².
            let twice =
                zip(
                    lambdas,
                    zip(
                        rowLosses(seen.outputs[b] * 2, labels),
                        rowLosses(seen.outputs[b] * 2, blend.partners.map { labels[$0] }))
                )
                .map { $0 * $0 * $1.0 + (1 - $0 * $0) * $1.1 }.reduce(0, +) / n
            if fit == 2 && mixed && near(twice) {
                throw CheckFailure(
                    "in fit 2 of the same learner the labels of training batch \(k) are mixed twice (λ² and 1 − λ²): "
                        + "the loss function Mixup set in the first fit was still the learner's, and was wrapped again; "
                        + "give the learner its own loss function back when the fit ends")
            }
            if near(blended { rowLosses(seen.outputs[b], $0) }) {
                throw CheckFailure(
                    "in fit \(fit) the loss of training batch \(k) blends crossEntropy against y and y[partners], "
                        + "not the learner's own loss function (here cross entropy of 2·preds): blend what the "
                        + "learner's lossFunc gives")
            }
            throw CheckFailure(
                "in fit \(fit) of the same learner the loss of training batch \(k) is \(cFormat("%.5f", loss)); "
                    + "blending the learner's own loss against y and y[partners] with the inputs' λ gives "
                    + "\(cFormat("%.5f", expected))")
        }
        // The learner used again, without Mixup: its batches and losses are its own.
        learn.cbs.removeAll { $0 === mixup }
        try answer { try learn.fit(1) }
        for b in 8..<seen.inputs.count {
            let plain = Self.sharperCrossEntropy(seen.outputs[b], seen.targets[b]).item()
            try expect(
                seen.inputs[b].toArray() == before.inputs[b].toArray() && Swift.abs(seen.losses[b] - plain) < 1e-5,
                "after two fits with Mixup, the same learner fitted without it computed a loss of "
                    + "\(seen.losses[b]) where its own loss function gives \(plain): when a fit ends, Mixup must "
                    + "leave the learner as it found it")
        }
    }

    /// Draws from Beta(α, α) folded into [0.5, 1] by Jöhnk's method (independent of the exercise's
    /// gamma sampler), sorted.
    func referenceLambdas(alpha: Double, count: Int) -> [Double] {
        var g = SeededGenerator(seed: 99)
        var draws: [Double] = []
        while draws.count < count {
            let u = Double(g.nextUniform()), v = Double(g.nextUniform())
            guard u > 0, v > 0 else { continue }
            if alpha <= 1 {
                let (lx, ly) = (Foundation.log(u) / alpha, Foundation.log(v) / alpha)
                let m = Swift.max(lx, ly)
                let (x, y) = (Foundation.exp(lx - m), Foundation.exp(ly - m))
                guard Foundation.exp(m) * (x + y) <= 1 else { continue }
                let b = x / (x + y)
                draws.append(Swift.max(b, 1 - b))
            } else {
                // For α > 1: the median of 2α − 1 uniforms is Beta(α, α) when 2α − 1 is an odd integer.
                let k = Int((2 * alpha - 1).rounded())
                var us = [Double(u), Double(v)]
                while us.count < k { us.append(Double(g.nextUniform())) }
                let b = us.prefix(k).sorted()[k / 2]
                draws.append(Swift.max(b, 1 - b))
            }
        }
        return draws.sorted()
    }

    /// The largest gap between the empirical distribution functions of two sorted samples.
    func ksDistance(_ a: [Double], _ b: [Double]) -> Double {
        var (i, j, d) = (0, 0, 0.0)
        while i < a.count && j < b.count {
            if a[i] <= b[j] { i += 1 } else { j += 1 }
            d = Swift.max(d, Swift.abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
        }
        return d
    }

    func lambdaDistribution() throws {
        for alpha: Float in [0.4, 2] {
            // 240 training batches of 4 points: 240 draws of λ.
            let (before, seen, _) = try run(alpha: alpha, seed: 21, train: 960, valid: 4, bs: 4, dim: 3)
            let lambdas = try trainingBlends(before, seen).compactMap { blend in blend.lambdas.compactMap { $0 }.first }
            try expect(
                lambdas.count > 200,
                "\(240 - lambdas.count) of 240 training batches reached the model unchanged: each row should be "
                    + "blended with another row of the batch (a random permutation of its rows)")
            let reference = referenceLambdas(alpha: Double(alpha), count: 20000)
            let distance = ksDistance(lambdas.sorted(), reference)
            // Kolmogorov–Smirnov at the 0.1% level for samples of these sizes.
            let critical = 1.95 * ((Double(lambdas.count) + 20000) / (Double(lambdas.count) * 20000)).squareRoot()
            let mean = lambdas.reduce(0, +) / Double(lambdas.count)
            let expectedMean = reference.reduce(0, +) / Double(reference.count)
            try expect(
                distance < critical,
                "with α = \(alpha) the λs of 240 batches (mean \(cFormat("%.3f", mean))) do not look like draws from "
                    + "Beta(α, α) folded into [0.5, 1] (mean \(cFormat("%.3f", expectedMean))): Kolmogorov–Smirnov "
                    + "distance \(cFormat("%.3f", distance)) > \(cFormat("%.3f", critical)); draw λ with drawLambda(), "
                    + "once per training batch")
        }
    }

    func trainsInTheLearner() throws {
        GlobalRandom.manualSeed(1)
        let track = TrackResults()
        track.write = { _ in }
        let mixup = try answer { self.student.callback(0.4, 2) }
        let learn = Learner(
            Sequential(Linear(4, 4)), data(train: 192, valid: 64, bs: 16), lossFunc: crossEntropy, lr: 0.5,
            cbs: [mixup, track])
        learn.showProgress = false
        try answer { try learn.fit(3) }
        let accuracy = track.history.last!.accuracy
        try expect(
            accuracy > 0.6, "after three epochs with Mixup the accuracy is only \(accuracy) (expected above 0.6)")
    }
}
