// Section "Simple CNN": layers in sequence, a pooling layer, and hooks to look inside.
import Shared

let book = Workbook(
    title: "03 · Simple CNN",
    about: """
        Stack four stride-2 convolutions, average what is left of each channel, and classify with
        a linear layer. Then watch the activations with hooks.
        """)

var data: ImagenetteData!
var xbt: Tensor!
var m: Sequential!

book.step(
    "Recap: a batch of images",
    explain: "The same normalised training batch the previous section used."
) { ctx in
    data = try ImagenetteData(ctx.settings)
    xbt = data.tfmX(data.xb)
    ctx.print("xbt.shape =", xbt.shape)
}

book.step(
    "Sequential",
    explain: """
        `Sequential` runs its layers in order. They live in an array, and reflection — like
        Python's `__setattr__` — only sees what a property holds directly, not what is inside a
        collection; so `Sequential` registers its layers itself (question 20).
        """,
    showing: ["Sequential"]
) { _ in }

book.step(
    "AdaptivePool",
    explain: """
        It averages each channel over height and width, turning [N, C, H, W] into [N, C],
        whatever the image size.
        """,
    showing: ["AdaptivePool"]
) { _ in }

book.step(
    "simpleCNN",
    explain: """
        Four stride-2 convolutions halve the 64-pixel images to 32, 16, 8 and 4 while the
        channels grow from 3 to 128; the pool leaves 128 numbers per image and the linear layer
        turns them into 10 scores. Each layer has a weight and a bias: 10 parameters.
        """,
    showing: ["simpleCNN"]
) { ctx in
    m = simpleCNN()
    ctx.print("m.parameters().count =", m.parameters().count)
    for (i, layer) in m.layers.enumerated() {
        let shapes = layer.parameters().map { "\($0.shape)" }.joined(separator: " ")
        ctx.print("  \(i)  \(type(of: layer))".padded(to: 18), shapes)
    }
}

book.step(
    "A hook on each convolution",
    explain: """
        A hook is a closure the module calls after `forward` with its output and inputs.
        `printStats` prints the output's mean and standard deviation: with Kaiming init they stay
        of the same order layer after layer instead of vanishing or exploding.
        """,
    showing: ["printStats"]
) { ctx in
    for i in 0..<4 { m.layers[i].hook = printStats }
    let r = m(xbt)
    ctx.print("r.shape =", r.shape)
    for i in 0..<4 { m.layers[i].hook = nil }
}

book.run()
