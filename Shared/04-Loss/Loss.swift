/// The chapter's `nll`, `-input[range(n), target].mean()`. input: [N, C], target: [N] → scalar
public func nll(_ input: Tensor, _ target: Tensor) -> Tensor {
    -input[Tensor.arange(target.shape[0], device: input.device), target].mean()
}

/// log softmax as first written: exponentiate, normalise, take the log. Exact on paper, but `exp`
/// overflows to infinity for inputs above ~88, and then the result is NaN.
public func logSoftmaxNaive(_ x: Tensor) -> Tensor {
    (x.exp() / x.exp().sum(axes: [-1], keepDim: true)).log()
}

/// log softmax as `x − log Σ exp(x)`, one division fewer, still overflowing for large inputs.
public func logSoftmaxSubtract(_ x: Tensor) -> Tensor {
    x - x.exp().sum(axes: [-1], keepDim: true).log()
}

/// The chapter's `logsumexp`, `m + log Σ exp(x − m)` with `m` the row's max, so nothing overflows.
/// x: [N, C] → [N]
public func logSumExp(_ x: Tensor) -> Tensor {
    let m = x.max(axis: -1).values
    return m + (x - m.unsqueeze(1)).exp().sum(axes: [-1]).log()
}

/// The stable log softmax: `x − logsumexp(x)` along the last axis.
public func logSoftmax(_ x: Tensor) -> Tensor {
    x - x.logsumexp(axis: -1, keepDim: true)
}

/// Cross entropy of raw scores `preds` [N, C] against class indices `yb` [N]: nll of log softmax.
public func crossEntropy(_ preds: Tensor, _ yb: Tensor) -> Tensor {
    nll(logSoftmax(preds), yb)
}
