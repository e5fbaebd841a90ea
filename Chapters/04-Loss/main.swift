// Section "Loss": log softmax, LogSumExp and cross entropy, built from tensor ops.
import Foundation
import Shared

let book = Workbook(
    title: "04 · Loss",
    about: """
        Turn the model's ten scores per image into a loss: log softmax, then negative log
        likelihood. On the way, see why the obvious log softmax overflows and how LogSumExp fixes it.
        """)

var data: ImagenetteData!
var r: Tensor!
var yb: Tensor!

book.step(
    "Recap: the untrained model's scores",
    explain: "A fresh simple CNN on one normalised batch gives a [128, 10] tensor of raw scores."
) { ctx in
    data = try ImagenetteData(ctx.settings)
    yb = data.yb
    r = simpleCNN()(data.tfmX(data.xb))
    ctx.print("r.shape =", r.shape)
}

book.step(
    "Naive log softmax and nll",
    explain: """
        Softmax exponentiates the scores and divides by their sum, so each row becomes
        probabilities; its log is what the loss needs. `nll` picks each row's log-probability at
        the target class — Python's `input[range(n), target]`; Swift has no fancy indexing, so the
        engine offers `x[rows, cols]` — and negates the mean.
        """,
    showing: ["nll", "logSoftmaxNaive"]
) { ctx in
    let sm = logSoftmaxNaive(r)
    ctx.print("sm[0][0] =", sm[0][0])
    let loss = nll(sm, yb)
    ctx.print("loss =", loss)
}

book.step(
    "One division fewer",
    explain: """
        The log of a quotient is a difference: log(eˣ / Σeˣ) = x − log Σeˣ. Same numbers,
        one operation less — but `exp` is still there, so it overflows just the same.
        """,
    showing: ["logSoftmaxSubtract"]
) { ctx in
    let sm = logSoftmaxSubtract(r)
    ctx.print("sm[0][0] =", sm[0][0])
}

book.step(
    "It overflows",
    explain: """
        `exp(x)` overflows to infinity once x passes the log of the largest number the type
        holds: about 88.7 in Float32, the engine's type, 709.8 in Float64, and only 11.1 in
        Float16, whose largest number is 65504. So half precision does not make scores larger; it
        makes much smaller scores overflow, which is why mixed-precision training computes the
        loss in Float32. A healthy network rarely gives Float32 scores near 88; they come when
        training diverges (a learning rate too high, the steep end of the LR finder's sweep, a
        bad batch), and a single score of 89 in a batch is enough. A library function cannot
        choose its inputs, so its loss must stay finite for any scores. The first version divides
        infinity by infinity, NaN; the second subtracts log ∞, giving −∞ everywhere. (The chapter
        only describes this; here it happens.)
        """
) { ctx in
    let largest: [(String, Double)] = [
        ("Float16", 65504), ("Float32", Double(Float.greatestFiniteMagnitude)), ("Float64", .greatestFiniteMagnitude)
    ]
    for (type, max) in largest {
        ctx.print(
            "\(type): largest \(cFormat("%.5g", max)), so exp overflows above", cFormat("%.1f", Foundation.log(max)))
    }
    ctx.print("in Float32: exp(88.7) =", Foundation.exp(Float(88.7)), " exp(88.8) =", Foundation.exp(Float(88.8)))
    let big = Tensor([100, 200, 300], shape: [1, 3])
    ctx.print("logSoftmaxNaive:   ", logSoftmaxNaive(big))
    ctx.print("logSoftmaxSubtract:", logSoftmaxSubtract(big))
}

book.step(
    "The LogSumExp identity",
    explain: """
        log Σ exp(xᵢ) = a + log Σ exp(xᵢ − a) for any a. Choosing a = max(x) makes every
        exponent ≤ 0, so nothing overflows. We check the identity on random numbers; the chapter
        compares with `==`, and we print both sides since rounding may differ in the last digit.
        """
) { ctx in
    let x = Tensor.rand([5])
    let a = x.max()
    let lhs = x.exp().sum().log(), rhs = a + (x - a).exp().sum().log()
    ctx.print(lhs.item(), rhs.item(), "equal:", Swift.abs(lhs.item() - rhs.item()) <= 1e-6)
}

book.step(
    "logsumexp",
    explain: """
        Our own `logSumExp` follows that recipe row by row; the engine's `logsumexp(axis:)`
        is the same thing with `keepDim`, which is what log softmax wants.
        """,
    showing: ["logSumExp"]
) { ctx in
    ctx.print("logSumExp(r)[0]          =", logSumExp(r)[0])
    ctx.print("r.logsumexp(axis: -1)[0] =", r.logsumexp(axis: -1)[0])
}

book.step(
    "Stable log softmax",
    explain: """
        log softmax is `x − logsumexp(x)`: the same `sm[0][0]` as before, and the large scores
        that overflowed now give finite log-probabilities.
        """,
    showing: ["logSoftmax"]
) { ctx in
    let sm = logSoftmax(r)
    ctx.print("sm[0][0] =", sm[0][0])
    ctx.print("logSoftmax(big) =", logSoftmax(Tensor([100, 200, 300], shape: [1, 3])))
}

book.step(
    "Cross entropy",
    explain: """
        Cross entropy is nll of log softmax. If a model gave every class the same score
        (`equal`, all zeros), each would get probability 1/10 and the loss would be exactly ln 10. An untrained
        model's scores are random, not equal, and that costs more: the loss of a row is
        logsumexp − (the target's score), and since exp is convex, logsumexp of ten scores is at
        least ln 10 + their mean, equal only when they are all the same. With a target unrelated
        to the scores, its score is on average the row's mean, so the loss lands above ln 10, by
        more the more the scores spread. The last line measures that average over the batch.
        """,
    showing: ["crossEntropy"]
) { ctx in
    let equal = Tensor.zeros(r.shape)
    let spread = (r.logsumexp(axis: -1) - r.mean(-1)).mean()
    ctx.print("ln 10                          =", cFormat("%.4f", Foundation.log(10.0)))
    ctx.print("crossEntropy(equal, yb)        =", crossEntropy(equal, yb))
    ctx.print("crossEntropy(r, yb)            =", crossEntropy(r, yb))
    ctx.print("mean of logsumexp(r) − mean(r) =", spread)
}

book.step(
    "The graph behind the loss",
    explain: """
        Every op on a tensor that needs a gradient records its inputs, and `backward()` walks
        those records from the loss back to the parameters. `graph()` collects them: each op with its
        output's shape, and the leaves it started from — parameters, which get a `.grad`, and
        inputs, which do not. Four images keep it small. The tree below reads from the loss
        (#34) down to the first convolution; the picture is on the run's page, and the last line
        says where its file went (`out/` unless `WORKBOOK_OUT` names another folder).

        Two kinds of node need a word. `affine` is arithmetic between a tensor and a plain
        number, x · scale + shift: dividing by 16 to finish the pool's mean over 4×4 positions,
        and at the top nll's mean over the four rows and its minus sign. The `input [4, 1]`
        leaves are each row's largest score, the `a` of the LogSumExp identity: `logsumexp`
        takes it with `detach()`, so the graph holds it as a constant and sends it no gradient.
        None is needed: the identity holds for any `a`, so the result does not depend on it.
        """,
    showing: ["Tensor.graph"]
) { ctx in
    let model = simpleCNN()
    let xb = Tensor.stack((0..<4).map { data.tfmX(data.xb)[$0] })
    let loss = crossEntropy(model(xb), Tensor.stack((0..<4).map { yb[$0] }))
    try ctx.showGraph(loss.graph(names: [("xb", xb)]), name: "autograd-graph.svg")
}

book.run()
