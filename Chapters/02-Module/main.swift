// Section "Module and Parameter": the pieces every layer is made of.
import Shared

let book = Workbook(
    title: "02 · Module and Parameter",
    about: """
        A parameter is a tensor the model learns; a module is anything that holds parameters or
        other modules and turns inputs into outputs. We build both, then a convolution and a linear
        layer on top of them.
        """)

var data: ImagenetteData!
var l: Module!
var xbt: Tensor!
var r: Tensor!
var t: T!

/// The chapter's module of two layers: nothing registers them, reflection finds them.
final class T: Module {
    let c = ConvLayer(3, 4)
    let l = Linear(4, 2)
}

book.step(
    "Recap: a batch of images",
    explain: """
        The Data and Dataset sections gave us loaders, one training batch `xb` and a
        normaliser. `ImagenetteData` rebuilds them in one call.
        """
) { ctx in
    data = try ImagenetteData(ctx.settings)
    ctx.print("data.xb.shape =", data.xb.shape)
}

book.step(
    "Parameter",
    explain: """
        In the chapter `Parameter` is a subclass of `Tensor` that always requires a gradient.
        Swift classes subclass the same way, so a `Parameter` goes wherever a `Tensor` goes; the
        only difference is `requiresGrad`, switched on from the start.
        """,
    showing: ["Parameter"]
) { ctx in
    ctx.print(Parameter(Tensor(3)))
}

book.step(
    "Module",
    explain: """
        Python's `Module.__setattr__` notices when a layer assigns a Parameter or a Module to
        an attribute and registers it. Swift has no such hook, so `Module` reads its own stored
        properties with `Mirror` (reflection) when asked for `parameters()`: nothing to list by
        hand, and the order is the declaration order. `parameters()` is recursive: a module's
        own parameters, then each child's (question 15). Subclasses override `forward`; calling
        a module runs `forward` and then its hook, if any (question 18).
        """,
    showing: ["Module"]
) { _ in }

book.step(
    "ConvLayer",
    explain: """
        A 3×3 convolution with padding 1 and an optional ReLU. The weights start from
        Kaiming's init because a ReLU follows (question 19); without one, Xavier's. It has two
        parameters, the filters and the biases.
        """,
    showing: ["ConvLayer"]
) { ctx in
    l = ConvLayer(3, 4)
    ctx.print(
        "ConvLayer(3, 4) has", l.parameters().count, "parameters:",
        l.parameters().map { "\($0.shape)" }.joined(separator: " and "))
}

book.step(
    "ConvLayer on a batch",
    explain: """
        The batch is normalised and made channels-first with `tfmX`. At stride 1 the
        convolution keeps height and width; with 4 filters it turns 3 channels into 4.
        """
) { ctx in
    xbt = data.tfmX(data.xb)
    r = l(xbt)
    ctx.print("r.shape =", r.shape)
}

book.step(
    "Linear",
    explain: """
        A linear layer computes `x · wᵀ + b`. Python writes `x@self.w.t()`; Swift has no `@`
        operator, so it is `x.matmul(w.t())`. `t()` is a view: OpenBLAS reads the weights
        transposed in place, nothing is copied.
        """,
    showing: ["Linear"]
) { ctx in
    l = Linear(4, 2)
    r = l(Tensor.ones([3, 4]))
    ctx.print("r.shape =", r.shape)
}

book.step(
    "Modules inside modules",
    explain: """
        A module that stores two layers in properties has their four parameters, found by
        reflection with no registration code at all. `T` is declared at the top of this chapter's
        main.swift, since Swift types declared inside a step would be gone by the next step.
        """,
    showing: ["T"]
) { ctx in
    t = T()
    ctx.print("t.parameters().count =", t.parameters().count)
}

book.step(
    "Moving to a device",
    explain: """
        The chapter's `t.cuda()` replaces every parameter's data with a GPU copy. Here
        `t.to(device)` does the same through one code path: each `Parameter` keeps its identity and
        gets new storage. Run with `--device gpu` to move it to the OpenCL device.
        """,
    showing: ["Module.to"]
) { ctx in
    t.to(ctx.device)
    ctx.print("t.l.w.device =", t.l.w.device)
}

book.run()
