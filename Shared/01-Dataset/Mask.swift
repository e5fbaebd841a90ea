/// `~mask` flips each element, as on fastai's `L`, so `files[~trainMask]` reads like the chapter.
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
