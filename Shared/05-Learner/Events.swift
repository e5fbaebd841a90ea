/// The moments of training at which the learner calls its callbacks, in the order they happen.
public enum Event: String, CaseIterable, Sendable {
    case beforeFit, beforeEpoch, beforeBatch, afterBatch, afterEpoch, afterFit
}

/// Thrown by a callback to stop training early; `fit` catches it and still sends `afterFit`
/// (the chapter's `CancelFitException`, question 28).
public struct CancelFitError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "training was cancelled by a callback" }
}

/// The chapter's `getattr(cb, name, noop)()` as a protocol whose events default to doing nothing
/// (questions 26 and 27); the learner sets `learner` before training.
public protocol LearnerCallback: AnyObject {
    /// The learner this callback belongs to (set by the learner; hold it `weak` or `unowned`, since
    /// the learner holds its callbacks).
    var learner: Learner? { get set }
    func beforeFit() throws
    func beforeEpoch() throws
    func beforeBatch() throws
    func afterBatch() throws
    func afterEpoch() throws
    func afterFit() throws
}

extension LearnerCallback {
    public func beforeFit() throws {}
    public func beforeEpoch() throws {}
    public func beforeBatch() throws {}
    public func afterBatch() throws {}
    public func afterEpoch() throws {}
    public func afterFit() throws {}

    /// Runs the method for `event`.
    func handle(_ event: Event) throws {
        switch event {
        case .beforeFit: try beforeFit()
        case .beforeEpoch: try beforeEpoch()
        case .beforeBatch: try beforeBatch()
        case .afterBatch: try afterBatch()
        case .afterEpoch: try afterEpoch()
        case .afterFit: try afterFit()
        }
    }
}
