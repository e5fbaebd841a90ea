import Foundation

/// The chapter's `TrackResults`, with the time: a line (a table row on the page) per epoch. The sums
/// stay on the model's device until the epoch ends, so a GPU is not stopped every batch.
public final class TrackResults: Callback {
    /// Per-batch numbers of correct predictions, losses times batch size, and batch sizes.
    public private(set) var accs: [Tensor] = [], losses: [Tensor] = [], ns: [Int] = []
    /// The last epoch's (loss, accuracy) for training and validation, for tests and plots.
    public private(set) var history: [(epoch: Int, training: Bool, loss: Float, accuracy: Float)] = []
    /// Where lines go (standard output by default).
    public var write: (String) -> Void = { print($0) }
    private var started = 0.0

    public override init() {}

    public override func beforeFit() throws {
        write("epoch  training  loss     accuracy  time")
        OutputRecording.current?.beginTable(["epoch", "training", "loss", "accuracy", "time"])
    }

    /// Starts each epoch's sums from empty (question 31): otherwise they would mix epochs.
    public override func beforeEpoch() throws {
        accs = []
        losses = []
        ns = []
        started = monotonicSeconds()
    }

    public override func afterBatch() throws {
        let (xb, yb) = self.batch!
        let preds: Tensor = self.preds!
        accs.append((preds.argmax(axis: 1) == yb).sum())
        let n = xb.shape[0]
        losses.append(self.loss!.detach() * Float(n))
        ns.append(n)
    }

    public override func afterEpoch() throws {
        let n = Float(ns.reduce(0, +))
        guard n > 0 else { return }
        let loss = Tensor.stack(losses).sum().item() / n
        let accuracy = Tensor.stack(accs).sum().item() / n
        let training: Bool = self.training
        history.append((self.epoch, training, loss, accuracy))
        let seconds = monotonicSeconds() - started
        let cells = [
            String(self.epoch).padded(to: 7), String(training).padded(to: 10),
            cFormat("%.4f", Double(loss)).padded(to: 9), cFormat("%.4f", Double(accuracy)).padded(to: 10),
            cFormat("%.1f s", seconds)
        ]
        write(cells.joined())
        OutputRecording.current?.row(cells.map { $0.trimmingCharacters(in: .whitespaces) })
    }
}
