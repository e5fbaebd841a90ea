/// A convenient base for callbacks: it forwards member reads and writes it does not have to its
/// learner, so a callback writes `self.model`, `self.epoch` or `self.opt.lr` (the chapter's
/// `GetAttr` with `_default = 'learner'`, question 24).
///
/// Python's `GetAttr` looks attributes up by name at run time. Swift's `@dynamicMemberLookup` with
/// key paths does the same at compile time: `self.epoch` becomes `self[dynamicMember: \Learner.epoch]`,
/// type-checked, so a misspelt name is a compile error rather than an `AttributeError`.
@dynamicMemberLookup
open class Callback: LearnerCallback {
    /// The learner, set when the callback is given to one. Weak: the learner owns its callbacks.
    public weak var learner: Learner?

    public init() {}

    /// Reads or writes the learner's property at `keyPath`.
    public subscript<T>(dynamicMember keyPath: ReferenceWritableKeyPath<Learner, T>) -> T {
        get { attachedLearner[keyPath: keyPath] }
        set { attachedLearner[keyPath: keyPath] = newValue }
    }

    /// Reads the learner's property at `keyPath` (for read-only ones, like `training`).
    public subscript<T>(dynamicMember keyPath: KeyPath<Learner, T>) -> T {
        attachedLearner[keyPath: keyPath]
    }

    private var attachedLearner: Learner {
        guard let learner else { engineFailure("\(type(of: self))", "this callback is not attached to a Learner") }
        return learner
    }

    open func beforeFit() throws {}
    open func beforeEpoch() throws {}
    open func beforeBatch() throws {}
    open func afterBatch() throws {}
    open func afterEpoch() throws {}
    open func afterFit() throws {}
}
