import Foundation

/// Which callback ran at each event and what it changed, seen by comparing the learner before and
/// after; a callback that changed nothing still ran, as `getattr(cb, name, noop)` calls it.
///
/// ```swift
/// let timeline = CallbackTimeline()
/// let learn = Learner(model, dls, lossFunc: crossEntropy, lr: 0.1, cbs: timeline.trace(cbs))
/// try learn.fit(1)
/// ctx.table(CallbackTimeline.header, timeline.rows)
/// ```
public final class CallbackTimeline {
    /// One callback's turn at one event.
    public struct Entry: Equatable, Sendable {
        /// The event.
        public var event: Event
        /// The epoch, and whether it was training (`nil` around the epochs: `beforeFit`, `afterFit`).
        public var epoch: Int?, training: Bool?
        /// The batch's index within the epoch, for the batch events.
        public var batch: Int?
        /// The callback's type, e.g. `SetupLearnerCB`.
        public var callback: String
        /// What it changed, in words (`batch [8, 64, 64, 3] → [8, 3, 64, 64]`, `accs +1`); empty when
        /// nothing.
        public var changes: [String]
    }

    /// Every callback's turn at every event, in order.
    public private(set) var entries: [Entry] = []

    /// An empty timeline.
    public init() {}

    /// `callbacks`, each wrapped so its events are recorded here; give these to the learner.
    public func trace(_ callbacks: [LearnerCallback]) -> [LearnerCallback] {
        callbacks.map { Traced($0, timeline: self) }
    }

    /// The timeline as rows of `event`, `when`, `callback`, `changed`. Batches whose turns repeat the
    /// batch before (every training batch alike) share that batch's rows: `batches 0–2`.
    public var rows: [[String]] {
        func sameTurn(_ a: Entry, _ b: Entry) -> Bool {
            (a.event, a.epoch, a.training, a.callback, a.changes) == (
                b.event, b.epoch, b.training, b.callback, b.changes
            )
        }
        func row(_ entry: Entry, _ batches: String?) -> [String] {
            var when = "fit"
            if let epoch = entry.epoch, let training = entry.training {
                when = "epoch \(epoch) \(training ? "train" : "valid")" + (batches.map { " " + $0 } ?? "")
            }
            return [
                entry.event.rawValue, when, entry.callback,
                entry.changes.isEmpty ? "—" : entry.changes.joined(separator: "; ")
            ]
        }
        var rows: [[String]] = []
        var i = 0
        while i < entries.count {
            guard let batch = entries[i].batch else {
                rows.append(row(entries[i], nil))
                i += 1
                continue
            }
            var end = i
            while end < entries.count && entries[end].batch == batch && entries[end].epoch == entries[i].epoch {
                end += 1
            }
            let block = entries[i..<end]
            var last = batch, next = end
            while next + block.count <= entries.count {
                let candidate = entries[next..<(next + block.count)]
                guard candidate.allSatisfy({ $0.batch == last + 1 }), zip(block, candidate).allSatisfy(sameTurn)
                else { break }
                last += 1
                next += block.count
            }
            rows += block.map { row($0, last == batch ? "batch \(batch)" : "batches \(batch)–\(last)") }
            i = next
        }
        return rows
    }

    /// The column names of `rows`.
    public static let header = ["event", "when", "callback", "changed"]

    /// What callbacks can see and change, taken before and after each callback's turn.
    struct Snapshot {
        var batch: [(id: ObjectIdentifier, shape: [Int], device: Device)]
        var lr: Float?
        var modelDevice: Device?
        var training: Bool
        var own: [(name: String, value: String, count: Int?, isFloat: Bool)]

        init(_ learner: Learner?, _ callback: LearnerCallback) {
            if let learner, let batch = learner.batch {
                self.batch = [batch.0, batch.1].map { (ObjectIdentifier($0), $0.shape, $0.device) }
            } else {
                batch = []
            }
            lr = learner?.opt?.lr
            modelDevice = learner?.model.parameters().first?.device
            training = learner?.training ?? false
            own = Snapshot.properties(of: callback)
        }

        /// The callback's stored properties that say what it has recorded: collections by their
        /// size, numbers and flags by their value. Others (closures, the learner) are left out.
        static func properties(
            of callback: LearnerCallback
        ) -> [(name: String, value: String, count: Int?, isFloat: Bool)] {
            var mirror: Mirror? = Mirror(reflecting: callback)
            var found: [(String, String, Int?, Bool)] = []
            while let current = mirror {
                for child in current.children {
                    guard let label = child.label, !label.hasPrefix("_"), label != "learner" else { continue }
                    let value = child.value
                    if let collection = value as? any Collection, !(value is String) {
                        found.append((label, "", collection.count, false))
                    } else if value is Float || value is Double || value is Int || value is Bool {
                        found.append((label, "\(value)", nil, value is Float || value is Double))
                    }
                }
                mirror = current.superclassMirror
            }
            return found
        }

        /// What changed from `self` to `after`, in words.
        func changes(to after: Snapshot) -> [String] {
            var changes: [String] = []
            if !batch.isEmpty && !after.batch.isEmpty
                && zip(batch, after.batch).contains(where: { $0.id != $1.id })
            {
                let (x0, x1) = (batch[0], after.batch[0])
                var words = x0.shape == x1.shape ? "batch replaced" : "batch \(x0.shape) → \(x1.shape)"
                if x0.device != x1.device { words += ", moved to \(x1.device)" }
                changes.append(words)
            }
            if let lr, let newLR = after.lr, lr != newLR {
                changes.append("lr \(cFormat("%.4g", Double(lr))) → \(cFormat("%.4g", Double(newLR)))")
            }
            if modelDevice != after.modelDevice, let device = after.modelDevice {
                changes.append("model moved to \(device)")
            }
            if training != after.training {
                changes.append(after.training ? "model set to train" : "model set to eval")
            }
            for (old, new) in zip(own, after.own) where old.name == new.name {
                if let before = old.count, let now = new.count, before != now {
                    changes.append(
                        now == 0 ? "\(new.name) emptied" : "\(new.name) \(now > before ? "+" : "")\(now - before)")
                } else if old.count == nil && old.value != new.value {
                    // A floating-point field is often a clock or a running sum: that it was set says
                    // enough, and keeps the timeline the same from run to run.
                    changes.append(new.isFloat ? "\(new.name) set" : "\(new.name) \(old.value) → \(new.value)")
                }
            }
            return changes
        }
    }

    /// Records `callback`'s turn at `event`.
    fileprivate func record(_ event: Event, _ callback: LearnerCallback, _ body: () throws -> Void) rethrows {
        let learner = callback.learner
        let before = Snapshot(learner, callback)
        // Record the turn even when the callback throws (CancelFitError ends a fit from inside a turn).
        defer {
            let after = Snapshot(learner, callback)
            let inEpoch = ![.beforeFit, .afterFit].contains(event)
            let inBatch = [.beforeBatch, .afterBatch].contains(event)
            entries.append(
                Entry(
                    event: event, epoch: inEpoch ? learner?.epoch : nil,
                    training: inEpoch ? learner?.training : nil, batch: inBatch ? learner?.num : nil,
                    callback: String(describing: type(of: callback)), changes: before.changes(to: after)))
        }
        try body()
    }
}

/// A callback that passes every event to the one it wraps, through its timeline.
private final class Traced: LearnerCallback {
    let inner: LearnerCallback
    unowned let timeline: CallbackTimeline

    /// Handing the wrapper to a learner hands the learner to the callback inside.
    var learner: Learner? {
        get { inner.learner }
        set { inner.learner = newValue }
    }

    init(_ inner: LearnerCallback, timeline: CallbackTimeline) {
        self.inner = inner
        self.timeline = timeline
    }

    func beforeFit() throws { try timeline.record(.beforeFit, inner) { try inner.beforeFit() } }
    func beforeEpoch() throws { try timeline.record(.beforeEpoch, inner) { try inner.beforeEpoch() } }
    func beforeBatch() throws { try timeline.record(.beforeBatch, inner) { try inner.beforeBatch() } }
    func afterBatch() throws { try timeline.record(.afterBatch, inner) { try inner.afterBatch() } }
    func afterEpoch() throws { try timeline.record(.afterEpoch, inner) { try inner.afterEpoch() } }
    func afterFit() throws { try timeline.record(.afterFit, inner) { try inner.afterFit() } }
}
