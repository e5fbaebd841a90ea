// Section "Module and Parameter": the pieces every layer is made of.
import Shared

let book = Workbook(
    title: "02 · Module and Parameter",
    about: "A parameter is a tensor the model learns; a module is anything that holds parameters or "
        + "other modules and turns inputs into outputs. We build both, then a convolution and a linear "
        + "layer on top of them.")

var data: ImagenetteData!
var xbt: Tensor!

book.step(
    "Recap: a batch of images",
    explain: "The Data and Dataset sections gave us loaders and a normaliser. `ImagenetteData` "
        + "rebuilds them in one call; we keep one training batch, normalised and channels-first.",
    code: "data = try ImagenetteData(settings)\nxbt = data.tfmX(data.xb)"
) { ctx in
    data = try ImagenetteData(ctx.settings)
    xbt = data.tfmX(data.xb)
    ctx.print("xbt.shape =", xbt.shape)
}

book.step(
    "Parameter",
    explain: "In the chapter `Parameter` is a subclass of `Tensor` that always requires a gradient. "
        + "Swift classes subclass the same way, so a `Parameter` goes wherever a `Tensor` goes; the "
        + "only difference is `requiresGrad`, switched on from the start.",
    code: "Parameter(Tensor(3))"
) { ctx in
    ctx.print(Parameter(Tensor(3)))
}

book.step(
    "Module",
    explain: "Python's `Module.__setattr__` notices when a layer assigns a Parameter or a Module to "
        + "an attribute and registers it. Swift has no such hook, so `Module` reads its own stored "
        + "properties with `Mirror` (reflection) when asked for `parameters()`: nothing to list by "
        + "hand, and the order is the declaration order. `parameters()` is recursive: a module's "
        + "own parameters, then each child's (question 15). Subclasses override `forward`; calling "
        + "a module runs `forward` and then its hook, if any (question 18). Read it in "
        + "Shared/02-Module/Module.swift.",
    code: "let l = ConvLayer(3, 4)\nl.parameters().count"
) { ctx in
    let l = ConvLayer(3, 4)
    ctx.print(
        "ConvLayer(3, 4) has", l.parameters().count, "parameters:",
        l.parameters().map { "\($0.shape)" }.joined(separator: " and "))
}

book.step(
    "ConvLayer on a batch",
    explain: "A 3×3 convolution with padding 1 keeps height and width at stride 1; with 4 filters "
        + "it turns 3 channels into 4. The weights start from Kaiming's init because a ReLU follows "
        + "(question 19).",
    code: "let r = l(xbt)\nr.shape"
) { ctx in
    let l = ConvLayer(3, 4)
    let r = l(xbt)
    ctx.print("r.shape =", r.shape)
}

book.step(
    "Linear",
    explain: "A linear layer computes `x · wᵀ + b`. Python writes `x@self.w.t()`; Swift has no `@` "
        + "operator, so it is `x.matmul(w.t())`. `t()` is a view: OpenBLAS reads the weights "
        + "transposed in place, nothing is copied.",
    code: "let lin = Linear(4, 2)\nlin(Tensor.ones([3, 4])).shape"
) { ctx in
    let lin = Linear(4, 2)
    ctx.print("Linear(4, 2)(ones [3, 4]).shape =", lin(Tensor.ones([3, 4])).shape)
}

final class T: Module {
    let c = ConvLayer(3, 4)
    let l = Linear(4, 2)
}

book.step(
    "Modules inside modules",
    explain: "A module that stores two layers in properties has their four parameters, found by "
        + "reflection with no registration code at all.",
    code: "final class T: Module {\n    let c = ConvLayer(3, 4)\n    let l = Linear(4, 2)\n}\nT().parameters().count"
) { ctx in
    let t = T()
    ctx.print("T().parameters().count =", t.parameters().count)
}

book.step(
    "Moving to a device",
    explain: "The chapter's `t.cuda()` replaces every parameter's data with a GPU copy. Here "
        + "`t.to(device)` does the same through one code path: each `Parameter` keeps its identity and "
        + "gets new storage. Run with `--device gpu` to move it to the OpenCL device.",
    code: "t.to(device)\nt.l.w.device"
) { ctx in
    let t = T()
    t.to(ctx.device)
    ctx.print("t.l.w.device =", t.l.w.device)
}

book.run()
