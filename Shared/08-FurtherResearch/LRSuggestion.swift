import Foundation

/// How fastai's `lr_find` turns a noisy loss curve into one suggested learning rate: smooth the
/// losses (`LossRecorder.smoothed`), then apply the `valley` rule.
public enum LRSuggestion {
    /// fastai's `valley` rule: find the longest valley of the curve — the longest run of points, not
    /// necessarily adjacent, whose losses keep strictly falling from left to right — and suggest the
    /// rate about halfway along it (`start + len/3 + len/6`, each third rounded down): far enough in
    /// that the loss is clearly falling, well before the bottom where training becomes unstable.
    ///
    /// This follows fastai's arithmetic exactly, including where it takes the valley to start (one
    /// point before its first, `end − length`), so that the two suggest the same rate for the same
    /// curve. The longest falling run is found by dynamic programming in O(n²), as there.
    /// - Returns: the index of the suggested point, or nil when there are no losses. NaN losses never
    ///   take part in a valley.
    public static func valley(_ losses: [Float]) -> Int? {
        guard !losses.isEmpty else { return nil }
        // lengths[i]: the length of the longest falling run ending at point i.
        var lengths = [Int](repeating: 1, count: losses.count)
        var end = 0
        var start = 0
        for i in losses.indices.dropFirst() {
            for j in 0..<i {
                if losses[i] < losses[j] && lengths[i] < lengths[j] + 1 { lengths[i] = lengths[j] + 1 }
                // Checked inside the inner loop, as fastai does: the start is fixed the moment run i
                // becomes the longest, even if it grows again before the loop ends.
                if lengths[end] < lengths[i] {
                    end = i
                    start = end - lengths[end]
                }
            }
        }
        let sections = Double(end - start) / 3
        let index = start + Int(sections) + Int(sections / 2)
        return Swift.min(Swift.max(index, 0), losses.count - 1)
    }

    /// The suggestion of `Learner.lrFind`, as fastai's `lr_find` makes it: smooth the losses, leave
    /// out the first `numIt / 10` points (rates too small to do anything; a tenth of the batches the
    /// sweep was planned for, whatever it recorded) and the last five (where the loss explodes), cut
    /// at the first NaN, and apply `valley` to what is left.
    /// - Parameters:
    ///   - losses: the loss of every batch of the sweep.
    ///   - numIt: how many batches the sweep was planned to take (fastai's `num_it`, 100 there).
    /// - Returns: the index into `losses` of the suggested point, or nil when too few points are left.
    public static func suggestion(losses: [Float], numIt: Int) -> Int? {
        let smooth = LossRecorder.smoothed(losses)
        let first = Swift.max(numIt, 0) / 10
        let last = losses.count - 5
        guard last - first >= 2 else { return nil }
        var window = Array(smooth[first..<last])
        if let nan = window.firstIndex(where: { $0.isNaN }) { window = Array(window[..<nan]) }
        return valley(window).map { $0 + first }
    }
}
