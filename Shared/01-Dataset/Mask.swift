/// Boolean masks, the Swift side of the chapter's `files[train_filt], files[~train_filt]`.
///
/// In Python, `~` on an `L` (or a tensor, or a NumPy array) of booleans flips every element. Swift's
/// `~` flips the bits of an integer and means nothing for `[Bool]`, so this file gives `[Bool]` a
/// prefix `~` that flips each element, and gives arrays a subscript that keeps the elements where a
/// mask is true. (On a plain Python list `~` does not work at all; `!` is Swift's operator for one
/// Bool, and the two are kept apart on purpose: `~mask` reads like the chapter.)
///
///     let trainMask = files.map { $0.grandparentName == "train" }
///     let (train, valid) = (files[trainMask], files[~trainMask])
public prefix func ~ (mask: [Bool]) -> [Bool] {
    mask.map { !$0 }
}

extension Array {
    /// The elements where `mask` is true, in order (`files[train_filt]`). The mask must have one
    /// entry per element.
    public subscript(mask: [Bool]) -> [Element] {
        if mask.count != count {
            engineFailure("mask", "a mask of \(mask.count) booleans cannot select from \(count) elements")
        }
        var kept: [Element] = []
        kept.reserveCapacity(mask.lazy.filter { $0 }.count)
        for (element, keep) in zip(self, mask) where keep { kept.append(element) }
        return kept
    }
}
