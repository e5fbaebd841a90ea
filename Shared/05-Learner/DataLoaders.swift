/// The training and validation batches, together (the chapter's `DataLoaders`).
public struct DataLoaders {
    public let train: any BatchProvider
    public let valid: any BatchProvider

    public init(_ train: any BatchProvider, _ valid: any BatchProvider) {
        self.train = train
        self.valid = valid
    }
}

extension ImagenetteData {
    /// Both loaders, as the learner takes them (`DataLoaders(data.trainDL, data.validDL)`).
    public var dls: DataLoaders { DataLoaders(trainDL, validDL) }
}
