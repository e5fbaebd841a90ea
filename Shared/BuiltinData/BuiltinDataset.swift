import Foundation

/// A stand-in for Imagenette drawn on the spot, so every chapter runs offline: its layout, sizes and
/// odd files (grayscale, CMYK), with `ProceduralPattern` classes. Each image is seeded by its name,
/// so a seed gives the same bytes on any number of threads.
public enum BuiltinDataset {
    /// Imagenette's classes, in the order of their folders: tench, English springer, cassette player,
    /// chain saw, church, French horn, garbage truck, gas pump, golf ball, parachute.
    public static let classes = [
        "n01440764", "n02102040", "n02979186", "n03000684", "n03028079",
        "n03394916", "n03417042", "n03425413", "n03445777", "n03888605"
    ]

    /// Images per class in imagenette2-160's training split (9,469 in all).
    public static let imagenetteTrainCounts = [963, 955, 993, 858, 941, 956, 961, 931, 951, 960]
    /// Images per class in imagenette2-160's validation split (3,925 in all).
    public static let imagenetteValidCounts = [387, 395, 357, 386, 409, 394, 389, 419, 399, 390]

    /// The seed of the stand-in the workbook uses.
    public static let defaultSeed: UInt64 = 2020

    /// One file to draw.
    struct Job {
        let split: Int  // 0 train, 1 val
        let classIndex: Int
        let index: Int
        var splitName: String { split == 0 ? "train" : "val" }
        var fileName: String { "\(BuiltinDataset.classes[classIndex])_\(index).JPEG" }
    }

    /// Writes the stand-in into `folder`, which must not exist yet. With no counts, the split sizes
    /// are Imagenette's; with counts, every class gets `trainPerClass` / `validPerClass` images
    /// (small sets for tests and `--quick`). Draws on all cores, shows a progress bar on a terminal.
    ///
    /// The files are written into a temporary sibling folder that is renamed to `folder` at the end,
    /// so an interrupted run never leaves a half-written data set under the real name.
    /// Throws `DataError` naming the folder, or `ImageFileError` naming a file that could not be written.
    public static func generate(
        at folder: URL, trainPerClass: Int? = nil, validPerClass: Int? = nil,
        seed: UInt64 = defaultSeed, showProgress: Bool = true
    ) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder.path) {
            throw DataError(
                path: folder.path, message: "already exists; remove it to generate the built-in data set again")
        }
        let train = trainPerClass.map { [Int](repeating: $0, count: classes.count) } ?? imagenetteTrainCounts
        let valid = validPerClass.map { [Int](repeating: $0, count: classes.count) } ?? imagenetteValidCounts
        let jobs = makeJobs(train: train, valid: valid)

        let staging = folder.deletingLastPathComponent()
            .appendingPathComponent(".\(folder.lastPathComponent).partial-\(getpid())")
        try? fm.removeItem(at: staging)
        do {
            for split in ["train", "val"] {
                for cls in classes {
                    try fm.createDirectory(
                        at: staging.appendingPathComponent(split).appendingPathComponent(cls),
                        withIntermediateDirectories: true)
                }
            }
        } catch {
            throw DataError(
                path: folder.deletingLastPathComponent().path,
                message: "cannot create the data folder: \(error.localizedDescription)")
        }

        let bar = showProgress ? ProgressBar(total: jobs.count, label: "drawing built-in images") : nil
        let lock = NSLock()
        var done = 0
        var firstError: Error?
        let threads = max(1, ProcessInfoCores.count)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var j = t
            while j < jobs.count {
                lock.lock()
                let failed = firstError != nil
                lock.unlock()
                if failed { return }
                do {
                    try draw(jobs[j], into: staging, seed: seed)
                } catch {
                    lock.lock()
                    if firstError == nil { firstError = error }
                    lock.unlock()
                    return
                }
                lock.lock()
                done += 1
                if t == 0 || done == jobs.count { bar?.update(done) }
                lock.unlock()
                j += threads
            }
        }
        bar?.finish()
        if let firstError {
            try? fm.removeItem(at: staging)
            throw firstError
        }
        try writeReadme(in: staging, train: train, valid: valid, seed: seed)
        do {
            try fm.moveItem(at: staging, to: folder)
        } catch {
            try? fm.removeItem(at: staging)
            if fm.fileExists(atPath: folder.appendingPathComponent("train").path) { return }  // another process won
            throw DataError(
                path: folder.path, message: "cannot move the generated data into place: \(error.localizedDescription)")
        }
    }

    /// Every file of a set with these per-class counts.
    static func makeJobs(train: [Int], valid: [Int]) -> [Job] {
        var jobs: [Job] = []
        for (split, counts) in [train, valid].enumerated() {
            for (c, n) in counts.enumerated() {
                for i in 0..<n { jobs.append(Job(split: split, classIndex: c, index: i)) }
            }
        }
        return jobs
    }

    /// The folder at `folder`, generating it first if it is not there.
    @discardableResult
    public static func ensure(
        at folder: URL, trainPerClass: Int? = nil, validPerClass: Int? = nil,
        seed: UInt64 = defaultSeed, showProgress: Bool = true
    ) throws -> URL {
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("train").path) {
            try generate(
                at: folder, trainPerClass: trainPerClass, validPerClass: validPerClass, seed: seed,
                showProgress: showProgress)
        }
        return folder
    }

    /// How one file is stored: about 5% grayscale, 0.2% CMYK (a few dozen in the full set), 2%
    /// progressive, quality 75…90 (files of 5–15 KB, like Imagenette's); and its generator, positioned after those choices. Seeded from the
    /// seed and the image's place, so nothing depends on which thread draws it or when.
    static func plan(_ job: Job, seed: UInt64) -> (
        size: (width: Int, height: Int), colorModel: JPEGColorModel,
        progressive: Bool, quality: Int, rng: SeededGenerator
    ) {
        var rng = SeededGenerator(
            seed: seed &* 0x9E37_79B9_7F4A_7C15
                ^ UInt64(job.split) << 48 ^ UInt64(job.classIndex) << 32 ^ UInt64(job.index))
        // Shorter side 160, the other 160…240; a quarter of the pictures stand upright.
        let long = 160 + Int(rng.next() % 81)
        let portrait = rng.nextUniform() < 0.25
        let kindDraw = rng.nextUniform()
        let colorModel: JPEGColorModel = kindDraw < 0.05 ? .grayscale : (kindDraw < 0.052 ? .cmyk : .rgb)
        let progressive = rng.nextUniform() < 0.02
        let quality = 75 + Int(rng.next() % 16)
        return (portrait ? (160, long) : (long, 160), colorModel, progressive, quality, rng)
    }

    /// Draws and writes one image.
    static func draw(_ job: Job, into root: URL, seed: UInt64) throws {
        var plan = plan(job, seed: seed)
        let image = drawProceduralImage(
            ProceduralPattern(rawValue: job.classIndex)!, width: plan.size.width,
            height: plan.size.height, rng: &plan.rng)
        let path = root.appendingPathComponent(job.splitName).appendingPathComponent(classes[job.classIndex])
            .appendingPathComponent(job.fileName).path
        try writeJPEG(
            image, to: path, quality: plan.quality, progressive: plan.progressive, colorModel: plan.colorModel)
    }

    private static func writeReadme(in folder: URL, train: [Int], valid: [Int], seed: UInt64) throws {
        var text = """
            Built-in stand-in for Imagenette (imagenette2-160), drawn by the workbook because the real data
            set could not be downloaded. Same layout and class folders; the pictures are procedural patterns.
            Seed \(seed); \(train.reduce(0, +)) training and \(valid.reduce(0, +)) validation images.

            """
        for (i, cls) in classes.enumerated() {
            text += "\(cls)  \(ProceduralPattern(rawValue: i)!.summary)  (train \(train[i]), val \(valid[i]))\n"
        }
        try Data(text.utf8).write(to: folder.appendingPathComponent("README.txt"))
    }
}
