// Section "Loss": log softmax, LogSumExp and cross entropy, built from tensor ops.
import Shared

let book = Workbook(
    title: "04 · Loss",
    about: "Turn the model's ten scores per image into a loss: log softmax, then negative log "
        + "likelihood. On the way, see why the obvious log softmax overflows and how LogSumExp fixes it.")

var data: ImagenetteData!
var r: Tensor!

book.step(
    "Recap: the untrained model's scores",
    explain: "A fresh simple CNN on one normalised batch gives a [128, 10] tensor of raw scores.",
    code: "data = try ImagenetteData(settings)\nr = simpleCNN()(data.tfmX(data.xb))"
) { ctx in
    data = try ImagenetteData(ctx.settings)
    r = simpleCNN()(data.tfmX(data.xb))
    ctx.print("r.shape =", r.shape)
}

book.step(
    "Naive log softmax and nll",
    explain: "Softmax exponentiates the scores and divides by their sum, so each row becomes "
        + "probabilities; its log is what the loss needs. `nll` picks each row's log-probability at "
        + "the target class — Python's `input[range(n), target]`; Swift has no fancy indexing, so the "
        + "engine offers `x[rows, cols]` — and negates the mean.",
    code: "let sm = logSoftmaxNaive(r)\nsm[0][0]\nnll(sm, data.yb)"
) { ctx in
    let sm = logSoftmaxNaive(r)
    ctx.print("sm[0][0] =", sm[0][0])
    ctx.print("nll(sm, yb) =", nll(sm, data.yb))
}

book.step(
    "It overflows",
    explain: "A Float32 `exp` overflows to infinity above about 88. Scores that large are rare at "
        + "the start of training but common later, and infinity divided by infinity is NaN.",
    code: "logSoftmaxNaive(Tensor([100, 200, 300], shape: [1, 3]))"
) { ctx in
    let big = Tensor([100, 200, 300], shape: [1, 3])
    ctx.print("naive:  ", logSoftmaxNaive(big))
    ctx.print("stable: ", logSoftmax(big))
}

book.step(
    "The LogSumExp identity",
    explain: "log Σ exp(xᵢ) = a + log Σ exp(xᵢ − a) for any a. Choosing a = max(x) makes every "
        + "exponent ≤ 0, so nothing overflows. We check the identity on random numbers.",
    code: "let x = Tensor.rand([5])\nlet a = x.max()\nx.exp().sum().log() ≈ a + (x - a).exp().sum().log()"
) { ctx in
    let x = Tensor.rand([5])
    let a = x.max()
    let lhs = x.exp().sum().log(), rhs = a + (x - a).exp().sum().log()
    ctx.print(lhs.item(), rhs.item(), "equal:", Swift.abs(lhs.item() - rhs.item()) <= 1e-6)
}

book.step(
    "logsumexp",
    explain: "Our own `logSumExp` follows that recipe row by row; the engine's `logsumexp(axis:)` "
        + "is the same thing with `keepDim`, which is what log softmax wants.",
    code: "logSumExp(r)[0]\nr.logsumexp(axis: -1)[0]"
) { ctx in
    ctx.print("logSumExp(r)[0]          =", logSumExp(r)[0])
    ctx.print("r.logsumexp(axis: -1)[0] =", r.logsumexp(axis: -1)[0])
}

book.step(
    "Stable log softmax and cross entropy",
    explain: "log softmax is `x − logsumexp(x)`; cross entropy is nll of it. An untrained model "
        + "guesses about evenly among 10 classes, so the loss starts near ln 10 ≈ 2.303.",
    code: "logSoftmax(r)[0][0]\ncrossEntropy(r, data.yb)"
) { ctx in
    ctx.print("logSoftmax(r)[0][0] =", logSoftmax(r)[0][0])
    ctx.print("crossEntropy(r, yb) =", crossEntropy(r, data.yb), " (ln 10 = 2.3026)")
}

book.run()
