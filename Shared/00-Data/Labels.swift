extension Sequence where Element: Hashable {
    /// The distinct elements in the order they first appear (fastai's `L.unique()`; a `Set` would
    /// lose the order, and with it the label numbering).
    public func unique() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension Array where Element: Hashable {
    /// Each element mapped to its position (fastai's `L.val2idx()`): for a list of labels, the
    /// dictionary that turns a label into its class number. Elements should be unique; for a repeated
    /// one the last position wins, as in fastai.
    public func val2idx() -> [Element: Int] {
        var index: [Element: Int] = [:]
        index.reserveCapacity(count)
        for (i, value) in enumerated() { index[value] = i }
        return index
    }
}
