import Shared

/// A small classification problem in memory, for checks that train a `Learner`: the class of a
/// point in 4 dimensions is its largest coordinate. 3/4 of the points train, the rest validate, in
/// batches of 16, always in the same order (no shuffling), so two runs from the same seed match.
public enum ToyProblem {
    /// `n` points drawn from `seed`.
    public static func loaders(_ n: Int, seed: UInt64) -> DataLoaders {
        var g = SeededGenerator(seed: seed)
        let x = Tensor.randn([n, 4], using: &g)
        let y = x.argmax(axis: 1)
        let cut = n * 3 / 4
        func rows(_ t: Tensor, _ range: Range<Int>) -> Tensor { Tensor.stack(range.map { t[$0] }) }
        return DataLoaders(
            InMemoryBatches(x: rows(x, 0..<cut), y: rows(y, 0..<cut), bs: 16),
            InMemoryBatches(x: rows(x, cut..<n), y: rows(y, cut..<n), bs: 16))
    }

    /// Checks that a `Learner` with `lossFunc` and `cbs` learns: a one-layer model trained for three
    /// epochs on 192 points (validated on the same points) must lower its training loss and end
    /// above 60 % accuracy. `what` names the answer in the messages ("this loss", "SAM"). The fit
    /// runs through `answer`, so a todo fails only the calling check.
    public static func expectLearning(
        lossFunc: @escaping (Tensor, Tensor) -> Tensor, cbs: [LearnerCallback] = [], what: String
    ) throws {
        GlobalRandom.manualSeed(1)
        var g = SeededGenerator(seed: 3)
        let x = Tensor.randn([192, 4], using: &g)
        let y = x.argmax(axis: 1)
        let data = DataLoaders(InMemoryBatches(x: x, y: y, bs: 16), InMemoryBatches(x: x, y: y, bs: 64))
        let track = TrackResults()
        track.write = { _ in }
        let learn = Learner(Sequential(Linear(4, 10)), data, lossFunc: lossFunc, lr: 0.5, cbs: cbs + [track])
        learn.showProgress = false
        try answer { try learn.fit(3) }
        let train = track.history.filter(\.training)
        try expect(
            train.count == 3 && train.allSatisfy { $0.loss.isFinite } && train.last!.loss < train.first!.loss,
            "three epochs with \(what) did not lower the training loss: "
                + train.map { cFormat("%.4f", Double($0.loss)) }.joined(separator: ", "))
        let accuracy = track.history.last!.accuracy
        try expect(accuracy > 0.6, "after three epochs the accuracy is only \(accuracy) (expected above 0.6)")
    }
}
