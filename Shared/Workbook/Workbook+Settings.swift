import Engine

extension Workbook {
    /// The parsed command line, as steps see it.
    public struct Settings: Equatable, Sendable {
        /// `--data`: the data set's folder, or the chapter's default, or `nil` when neither was given.
        public var data: String?
        /// `--device`: where to compute, after falling back to `.cpu` when no GPU is usable.
        public var device: Device
        /// `--epochs`: epochs to train for.
        public var epochs: Int
        /// `--lr`: learning rate.
        public var lr: Float
        /// `--quick`: use a small subset of the data so the chapter finishes in seconds.
        public var quick: Bool
        /// `--seed`: where the random numbers start (weights, shuffles), so that a run can be repeated
        /// exactly or rerun with other draws. The runner seeds `GlobalRandom` with it before the first
        /// step, and `ImagenetteData` again when it builds the loaders.
        public var seed: UInt64

        /// The seed when `--seed` is not given: the one every chapter has always used.
        public static let defaultSeed: UInt64 = 42

        /// Settings spelled out (for tests, and for code that calls steps' helpers directly).
        public init(
            data: String? = nil, device: Device = .cpu, epochs: Int = 1, lr: Float = 0.1,
            quick: Bool = false, seed: UInt64 = Settings.defaultSeed
        ) {
            self.data = data
            self.device = device
            self.epochs = epochs
            self.lr = lr
            self.quick = quick
            self.seed = seed
        }

        /// The settings as the line under the chapter's title shows them: `device cpu · epochs 1 · lr 0.1`.
        var facts: String {
            var facts = ["device \(device)", "epochs \(epochs)", "lr \(lr)"]
            if quick { facts.append("quick") }
            if seed != Settings.defaultSeed { facts.append("seed \(seed)") }
            if let data { facts.append("data \(data)") }
            return facts.joined(separator: " · ")
        }
    }
}
