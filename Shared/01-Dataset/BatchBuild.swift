/// A batch that several DataLoader workers fill together, a few samples each at a time: its memory,
/// which samples are handed out, and how many are still being written. Guarded by its pass's lock.
final class BatchBuild {
    /// The batch's position in the pass.
    let index: Int
    /// The dataset indices of its samples.
    let samples: [Int]
    /// The batch's `x`, written in place by the workers and wrapped as a tensor once complete.
    let storage: Storage
    /// Elements of one sample.
    let itemCount: Int
    /// The labels, written by the workers at their samples' positions.
    private(set) var labels: [Float]
    /// The first sample not yet handed to a worker.
    private(set) var nextSample = 0
    /// Pieces handed out and not yet finished.
    private(set) var piecesInFlight = 0
    /// The failure of the earliest sample that failed, if any.
    private(set) var failure: (sample: Int, error: Error)?

    init(index: Int, samples: [Int], itemCount: Int) {
        self.index = index
        self.samples = samples
        self.itemCount = itemCount
        self.storage = Storage(hostCount: Swift.max(1, samples.count * itemCount))
        self.labels = [Float](repeating: 0, count: samples.count)
    }

    /// Whether samples are left to hand out.
    var hasUnclaimedSamples: Bool { nextSample < samples.count }

    /// Whether every sample has been written (or the batch has failed) and no worker is still on it.
    var isComplete: Bool { !hasUnclaimedSamples && piecesInFlight == 0 }

    /// Hands out the next `size` samples (fewer at the end) as positions in the batch.
    func claim(upTo size: Int) -> Range<Int> {
        let piece = nextSample..<Swift.min(nextSample + size, samples.count)
        nextSample = piece.upperBound
        piecesInFlight += 1
        return piece
    }

    /// Records a finished piece: its labels, and the error of the sample that failed, if one did;
    /// after a failure no more samples are handed out.
    func finish(_ piece: Range<Int>, labels pieceLabels: [Float], failedAt: Int?, error: Error?) {
        piecesInFlight -= 1
        for (offset, label) in pieceLabels.enumerated() { labels[piece.lowerBound + offset] = label }
        if let failedAt, let error, failure.map({ failedAt < $0.sample }) ?? true {
            failure = (failedAt, error)
            nextSample = samples.count
        }
    }

    /// The finished batch, `x` `[n, ...itemShape]` and `y` `[n]`, or the earliest sample's error.
    func result(itemShape: [Int]) -> Result<Batch, Error> {
        if let failure { return .failure(failure.error) }
        let shape = [samples.count] + itemShape
        let x = Tensor(storage: storage, shape: shape, strides: Tensor.contiguousStrides(shape))
        return .success((x, Tensor(labels, shape: [samples.count])))
    }
}
