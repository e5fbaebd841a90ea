/// fastai's `GetAttr` onto the learner (question 24): `self.epoch` reads `learner.epoch`, through key
/// paths, so a misspelt name fails to compile rather than raising `AttributeError`.
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
