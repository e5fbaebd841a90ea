import Foundation

/// What the Data and Dataset sections build, in one call, so every later section starts from there.
public struct ImagenetteData {
    /// The data set's folder (Imagenette, a copy of it, or the built-in stand-in).
    public let path: URL
    /// Class names (the WordNet ids of the folders) in the order their indices follow.
    public let lbls: [String]
    /// Class name → index.
    public let v2i: [String: Int]
    /// The training and validation datasets.
    public let trainDS: ImageDataset, validDS: ImageDataset
    /// The training (shuffled, bs 128) and validation (bs 256) loaders.
    public let trainDL: DataLoader, validDL: DataLoader
    /// One training batch, NHWC: what the statistics come from and what the early sections feed
    /// their layers.
    public let xb: Tensor, yb: Tensor
    /// The per-channel normaliser from `xb`'s statistics.
    public let norm: Normalize

    /// The chapter's `tfm_x`: normalise and move channels second.
    public func tfmX(_ x: Tensor) -> Tensor { Shared.tfmX(x, norm) }

    /// Finds (or makes) the data for `settings` and builds the loaders, with the chapter's choices:
    /// batch size 128 for training and 256 for validation, as many workers as cores (the chapter
    /// uses `min(16, cpus)`).
    public init(_ settings: Workbook.Settings) throws {
        // Every section starts its loaders (and the model made next) from the same draws.
        GlobalRandom.manualSeed(settings.seed)
        path = try resolveDataPath(explicit: settings.data, quick: settings.quick)
        let files = try getImageFiles(path)
        lbls = files.map(\.parentName).unique()
        v2i = lbls.val2idx()
        let trainFilt = files.map { $0.grandparentName == "train" }
        trainDS = ImageDataset(files[trainFilt], val2idx: v2i)
        validDS = ImageDataset(files[~trainFilt], val2idx: v2i)
        let workers = Swift.min(16, ProcessInfo.processInfo.activeProcessorCount)
        trainDL = DataLoader(trainDS, bs: 128, shuffle: true, workers: workers)
        validDL = DataLoader(validDS, bs: 256, shuffle: false, workers: workers)
        (xb, yb) = try first(trainDL)
        norm = Normalize(batchStats(xb))
    }
}
