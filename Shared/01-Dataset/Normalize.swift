/// Per-channel statistics of a batch of images: mean and standard deviation over the batch, height
/// and width axes, `[C]` each (the chapter's `[xb.mean((0,1,2)), xb.std((0,1,2))]`).
///
/// xb: `[N, H, W, C]`.
public func batchStats(_ xb: Tensor) -> (mean: Tensor, std: Tensor) {
    (xb.mean(0, 1, 2), xb.std(0, 1, 2))
}

/// Normalises images with fixed statistics: `(x - mean) / std`, channel by channel (the chapter's
/// `Normalize`). The statistics follow the input to its device the first time they differ, and stay
/// there, so a model on the GPU pays for the copy once, not per batch.
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

/// The chapter's `tfm_x`: normalise, then move channels from last to second, which is the layout
/// `conv2d` expects. The result is contiguous (a real NCHW tensor, not a permuted view), so the
/// convolution reads it directly.
///
/// x: `[N, H, W, C]` → `[N, C, H, W]`.
public func tfmX(_ x: Tensor, _ norm: Normalize) -> Tensor {
    norm(x).permute(0, 3, 1, 2).contiguous()
}
