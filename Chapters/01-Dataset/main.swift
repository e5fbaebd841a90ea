// Section "Dataset": items, batches, a parallel DataLoader and normalisation.
import Foundation
import Shared

let book = Workbook(
    title: "01 · Dataset",
    about: """
        A Dataset turns an index into an (image tensor, label) pair; collate stacks pairs into a
        batch; a DataLoader makes batches on worker threads; and Normalize centres the inputs.
        """)

var files: [URL] = []
var v2i: [String: Int] = [:]
var lbls: [String] = []
var train: [URL] = [], valid: [URL] = []
var trainDS: ImageDataset!, validDS: ImageDataset!
var trainDL: DataLoader!, validDL: DataLoader!
var x: Tensor!
var xb: Tensor!
var norm: Normalize!

book.step(
    "Recap: files and labels",
    explain: "The Data section's files and label indices."
) { ctx in
    files = try getImageFiles(try resolveDataPath(explicit: ctx.data, quick: ctx.quick))
    lbls = files.map(\.parentName).unique()
    v2i = lbls.val2idx()
    ctx.print("\(files.count) files, \(lbls.count) labels")
}

book.step(
    "Split by folder",
    explain: """
        A file is for training when its grandparent folder is `train`. The chapter builds a
        boolean mask and takes `files[mask]` and `files[~mask]`; `~` inverts a mask in fastai's
        `L`, NumPy and PyTorch (on a plain Python list of bools it would not — question 9). Swift
        lets us declare the same prefix operator for `[Bool]`, and a subscript that takes a mask.
        """,
    showing: ["~", "Array.subscript"]
) { ctx in
    let trainFilt = files.map { $0.grandparentName == "train" }
    (train, valid) = (files[trainFilt], files[~trainFilt])
    ctx.print("len(train), len(valid) =", train.count, valid.count)
}

book.step(
    "A Dataset",
    explain: """
        Python's datasets implement `__len__` and `__getitem__` (question 6). The Swift
        protocol `Dataset` asks for `count` and a subscript; `ImageDataset` is the chapter's
        `Dataset` class. Item `i` decodes file `i`, resizes it to 64×64 and scales to [0, 1]; the
        label is the folder's index. (`makeItemWriter` is for speed: the DataLoader's workers
        decode straight into the batch's memory.) It returns `any DatasetItemWriter`: a box that
        can hold a value of any type conforming to the protocol, which type being known only
        when the program runs — the nearest thing in Swift to Python's duck typing, at the cost
        of a lookup on each call.
        """,
    showing: ["Dataset", "ImageDataset"]
) { ctx in
    trainDS = ImageDataset(train, val2idx: v2i)
    validDS = ImageDataset(valid, val2idx: v2i)
    let (x, y) = try trainDS[0]
    ctx.print("x.shape =", x.shape, " y =", Int(y.item()), "(\(lbls[Int(y.item())]))")
    try showImage(x, title: lbls[Int(y.item())])
}

book.step(
    "collate",
    explain: """
        A batch stacks items along a new first axis. The chapter stacks the items' tensors;
        ours writes each item straight into the batch tensor, which gives the same result without
        an intermediate tensor per image. Its argument is `some Dataset`, where the last step's
        `makeItemWriter` said `any`: `some` means one particular conforming type, fixed for each
        call site when compiling (a generic parameter, written short), so there is no box and
        the compiler can specialise the code to it.
        """,
    showing: ["collate"]
) { ctx in
    let y: Tensor
    (x, y) = try collate([1, 2], trainDS)
    ctx.print("x.shape =", x.shape, " y =", y.toArray().map { Int($0) })
}

book.step(
    "A DataLoader",
    explain: """
        The chapter's DataLoader shuffles the indices, cuts them into chunks of `bs`, and
        lets a `ProcessPoolExecutor` collate chunks in parallel processes (question 10). Swift
        threads share memory, so ours uses worker threads that decode straight into the batch, and
        keeps a few batches ready ahead of the consumer so decoding overlaps training. Its length
        follows the chapter: (n − 1) / bs + 1 batches. Below: how it is made, its length, the
        chunks, and what each worker thread does.

        Iterating it is Swift's `Sequence` protocol — Python's `__iter__` (question 12).
        `first(dl)` takes one batch and stops the workers without decoding the rest of the epoch.
        """,
    showing: ["DataLoader.init", "DataLoader.count", "DataLoader.nextChunks", "EpochState.work"]
) { ctx in
    let nWorkers = min(16, ProcessInfo.processInfo.activeProcessorCount)
    trainDL = DataLoader(trainDS, bs: 128, shuffle: true, workers: nWorkers)
    validDL = DataLoader(validDS, bs: 256, shuffle: false, workers: nWorkers)
    let yb: Tensor
    (xb, yb) = try first(trainDL)
    ctx.print("xb.shape =", xb.shape, " yb.shape =", yb.shape, " len(trainDL) =", trainDL.count)
}

book.step(
    "Statistics",
    explain: """
        Mean and standard deviation of each colour channel over the batch, height and width
        axes (0, 1, 2).
        """,
    showing: ["batchStats"]
) { ctx in
    let stats = batchStats(xb)
    ctx.print("mean =", stats.mean)
    ctx.print("std  =", stats.std)
}

book.step(
    "Normalize and tfmX",
    explain: """
        Subtract the mean and divide by the standard deviation, per channel; then permute
        from [N, H, W, C] to [N, C, H, W], the layout convolutions expect (question 14). The
        chapter's `tfm_x` reads `norm` from the notebook's globals; ours takes it as an argument.
        As in the chapter, it is applied to `x`, the two images from `collate`. The statistics
        came from the 128 images of `xb`, a shuffled batch that need not even contain these two,
        and two pictures are far too few to average out: expect means and standard deviations
        of the order of 0 and 1 but clearly off them, by as much as these two pictures differ
        from the batch's average (another `--seed` draws another batch and gives other numbers).
        For contrast, the last two lines normalise `xb` itself, where 0 and 1 hold by
        construction.
        """,
    showing: ["Normalize", "tfmX"]
) { ctx in
    norm = Normalize(batchStats(xb))
    let t = tfmX(x, norm)
    ctx.print("t.shape =", t.shape)
    ctx.print("mean =", t.mean(0, 2, 3))
    ctx.print("std  =", t.std(0, 2, 3))
    let all = tfmX(xb, norm)
    ctx.print("tfmX(xb, norm): mean =", all.mean(0, 2, 3))
    ctx.print("tfmX(xb, norm): std  =", all.std(0, 2, 3))
}

book.run()
