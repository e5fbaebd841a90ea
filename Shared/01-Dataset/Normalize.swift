/// The chapter's `[xb.mean((0,1,2)), xb.std((0,1,2))]`. xb: `[N, H, W, C]` → `[C]` each.
public func batchStats(_ xb: Tensor) -> (mean: Tensor, std: Tensor) {
    (xb.mean(0, 1, 2), xb.std(0, 1, 2))
}

/// The chapter's `Normalize`, `(x - mean) / std` per channel; the statistics move to the input's
/// device once, not per batch.
public final class Normalize {
    /// Mean and standard deviation per channel, `[C]` each.
    public private(set) var stats: (mean: Tensor, std: Tensor)

    /// A normaliser with `stats` from `batchStats`.
    public init(_ stats: (mean: Tensor, std: Tensor)) { self.stats = stats }

    /// x: `[..., C]` → `[..., C]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.device != stats.mean.device {
            stats = (stats.mean.to(x.device), stats.std.to(x.device))
        }
        return (x - stats.mean) / stats.std
    }
}

/// The chapter's `tfm_x`: normalise, then channels second, contiguous, as `conv2d` reads them.
/// x: `[N, H, W, C]` → `[N, C, H, W]`.
public func tfmX(_ x: Tensor, _ norm: Normalize) -> Tensor {
    norm(x).permute(0, 3, 1, 2).contiguous()
}
