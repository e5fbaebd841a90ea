// Section "Data": find the images, open one, and work out the labels.
import Foundation
import Shared

let book = Workbook(
    title: "00 · Data",
    about: """
        Get Imagenette (or the built-in stand-in when offline), list its image files, open one,
        and turn folder names into labels.
        """)

var path: URL!
var files: [URL] = []
var lbls: [String] = []
var im: RGBImage!

book.step(
    "untarData",
    explain: """
        fastai's `untar_data(URLs.IMAGENETTE_160)` downloads the archive once into
        ~/.fastai/archive, checks it, and unpacks it into ~/.fastai/data; the workbook uses the
        same places, so an existing fastai copy is reused. Without a network it falls back to a
        built-in stand-in with Imagenette's layout: ten classes of drawn pictures. `--data PATH`
        (or WORKBOOK_DATA) points at any folder laid out like Imagenette.

        Steps share values as notebook cells share globals: `path` is declared at the top of
        `main.swift` as `var path: URL!`. The `!` makes it implicitly unwrapped: nil until a
        step sets it, then used as a plain `URL`, with no unwrapping at each use. Read before
        its step has run, it stops the program with an error, as a skipped cell's variable gives
        a NameError in Python.
        """
) { ctx in
    path = try resolveDataPath(explicit: ctx.data, quick: ctx.quick)
    ctx.print("path =", path.path)
}

book.step(
    "getImageFiles",
    explain: """
        fastai's `get_image_files` walks the folder tree and keeps files with an image
        extension, whatever their case. Ours returns them sorted, so every run sees the same
        order.
        """
) { ctx in
    let t = try getImageFiles(path)
    guard !t.isEmpty else { throw DataError(path: path.path, message: "no image files in this folder") }
    ctx.print("\(t.count) files; t[0] =", t[0].path)
}

book.step(
    "glob",
    explain: """
        Python's `glob('**/*.JPEG', recursive=True)` matches paths against a pattern where
        `**` crosses folders. `globFiles` walks the folders with the C library's `opendir` and
        `readdir` (FileManager's enumerator is much slower on Linux) and matches names with `fnmatch`.
        The chapter wraps the result in fastai's `L` and maps `Path` over it; a Swift array and
        `map` are all we need.
        """,
    showing: ["globFiles", "walk"]
) { ctx in
    files = try globFiles(path, matching: "**/*.JPEG")
    guard !files.isEmpty else { throw DataError(path: path.path, message: "no .JPEG files in this folder") }
    ctx.print("\(files.count) files; files[0] =", files[0].path)
}

book.step(
    "Open an image",
    explain: """
        PIL's `Image.open` reads only the file's header at first (it decodes the pixels when
        they are first needed) and keeps the way the file stores colour, its mode: RGB for most
        photos. Its `im.size` is (width, height), the reverse of a tensor's order, as the size
        below and the shape in the next step show. The workbook's `loadImage` decodes at once,
        with libjpeg (libpng for PNGs), into
        8-bit RGB whatever the file holds, as `Image.open(fn).convert('RGB')` would; the step
        after next shows a file where the difference matters.
        """
) { ctx in
    im = try loadImage(files[0].path)
    ctx.print("size:", im.width, "×", im.height)
    try showImage(Tensor(im) / 255, title: files[0].parentName)
}

book.step(
    "As a tensor",
    explain: """
        `tensor(im)` gives height × width × channels. The engine's only element type is
        Float32, so the pixel values 0…255 become Floats.
        """
) { ctx in
    let imT = Tensor(im)
    ctx.print("imT.shape =", imT.shape)
}

book.step(
    "Not every file is RGB",
    explain: """
        Some files store one channel of gray: a few Imagenette photos, and about one in twenty
        of the built-in stand-in's pictures. PIL opens them in mode L, and `tensor(im)` then has
        shape [H, W], with no channel axis at all (a CMYK file would give four channels). A batch
        cannot stack that beside [H, W, 3] images, which is why the chapter calls
        `convert('RGB')` (question 7). `loadImageKeepingChannels` opens a file as PIL does,
        without converting; below, the first grayscale file in `files`, before and after the
        conversion, which copies the gray into red, green and blue alike.
        """,
    showing: ["loadImageKeepingChannels"]
) { ctx in
    guard let fn = try files.first(where: { try loadImageKeepingChannels($0.path).rank == 2 }) else {
        ctx.note("No grayscale file in this data set: every file is already RGB.")
        return
    }
    let asStored = try loadImageKeepingChannels(fn.path)
    let converted = Tensor(try loadImage(fn.path))
    ctx.print(fn.lastPathComponent, "(files[\(files.firstIndex(of: fn)!)], of \(files.count))")
    ctx.print("tensor(Image.open(fn)).shape                =", asStored.shape)
    ctx.print("tensor(Image.open(fn).convert('RGB')).shape =", converted.shape)
    let gray = asStored.toArray(), rgb = converted.toArray()
    let copies = gray.indices.allSatisfy { i in (0..<3).allSatisfy { rgb[3 * i + $0] == gray[i] } }
    ctx.print("red, green and blue all equal the gray:", copies)
    try showImage(converted / 255, title: fn.parentName + " (grayscale file)")
}

book.step(
    "Labels",
    explain: """
        The class of an image is the name of its folder. The chapter maps
        `Self.parent.name()` over the files — fastai's `Self` builds a function from an attribute
        chain, `o.parent.name`: the final `()` calls nothing, since `name` is a string and
        fastcore's `Self` calls only what is callable. Swift key paths do the same: `\\.parentName`
        is a function from a URL to its folder's name. A key path cannot hold a method call such
        as `deletingLastPathComponent()`, so `parentName` is a computed property that makes it.
        `unique()` keeps the first occurrence of each, in order.
        """,
    showing: ["URL.parentName", "Sequence.unique"]
) { ctx in
    lbls = files.map(\.parentName).unique()
    ctx.print("lbls =", lbls)
}

book.step(
    "val2idx",
    explain: """
        The model predicts numbers, so each label gets an index: fastai's `L.val2idx()` is a
        dictionary from value to position.
        """,
    showing: ["Array.val2idx"]
) { ctx in
    let v2i = lbls.val2idx()
    for label in lbls { ctx.print("  \(label): \(v2i[label]!)") }
}

book.run()
