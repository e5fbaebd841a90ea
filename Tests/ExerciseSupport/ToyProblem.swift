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
}
