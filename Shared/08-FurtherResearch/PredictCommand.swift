import Foundation

/// `08-FurtherResearch --predict photo.jpg`: classifies a photo with the saved model alone, with no
/// steps and no data set.
public enum PredictCommand {
    /// The model's name the chapter saves under: `learn.save("stage1", …)`.
    public static let modelName = "stage1"

    /// Whether `arguments` (without the program name) ask for this command.
    public static func isRequested(_ arguments: [String]) -> Bool {
        arguments.contains { $0 == "--predict" || $0.hasPrefix("--predict=") }
    }

    /// Where the chapter may have saved `stage1`, in the order `resolveDataPath` picks data folders:
    /// `--data`, `$WORKBOOK_DATA`, the quick built-in set when `quick`, a fastai copy of Imagenette,
    /// the built-in stand-in, and last the quick set (a model from a `--quick` run still answers).
    public static func savedModelCandidates(data: String?, quick: Bool) -> [URL] {
        var folders: [URL] = []
        func folder(_ path: String) -> URL { URL(fileURLWithPath: (path as NSString).expandingTildeInPath) }
        if let data, !data.isEmpty { folders.append(folder(data)) }
        if let environment = ProcessInfo.processInfo.environment["WORKBOOK_DATA"], !environment.isEmpty {
            folders.append(folder(environment))
        }
        let quickFolder = FastaiPaths.data.appendingPathComponent("imagenette2-160-builtin-quick")
        if quick { folders.append(quickFolder) }
        folders.append(FastaiPaths.data.appendingPathComponent(DownloadableDataset.imagenette160.folderName))
        folders.append(FastaiPaths.data.appendingPathComponent("imagenette2-160-builtin"))
        if !quick { folders.append(quickFolder) }
        return folders.map { Learner.modelFile(modelName, path: $0) }
    }

    /// Runs the command; returns the exit status (0, 1 for a failure, 64 for bad flags). `out` gets
    /// the answer, `err` the errors; `preview` says whether to draw the image in the terminal.
    public static func run(
        arguments: [String], preview: Bool = isatty(STDOUT_FILENO) == 1, out: (String) -> Void = { print($0) },
        err: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    ) -> Int32 {
        var image: String?, model: String?, data: String?, quick = false, top = 3
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            func value() -> String? {
                if let equals = flag.firstIndex(of: "=") { return String(flag[flag.index(after: equals)...]) }
                return rest.popFirst()
            }
            switch flag.split(separator: "=", maxSplits: 1).first.map(String.init) ?? flag {
            case "--predict": image = value()
            case "--model": model = value()
            case "--data": data = value()
            case "--quick": quick = true
            case "--no-pause": break  // harmless beside --predict: nothing pauses
            case "--top":
                guard let k = value().flatMap({ Int($0) }), k > 0 else {
                    err("error: --top needs a positive number")
                    return 64
                }
                top = k
            default:
                err(
                    "error: \(flag) cannot be used with --predict.\nUsage: 08-FurtherResearch --predict IMAGE "
                        + "[--model FILE] [--data FOLDER] [--quick] [--top K]")
                return 64
            }
        }
        guard let image, !image.isEmpty else {
            err("error: --predict needs the path of a JPEG or PNG file")
            return 64
        }
        let candidates =
            model.map { [URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath)] }
            ?? savedModelCandidates(data: data, quick: quick)
        guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            if model != nil {
                err("error: \(candidates[0].path): no such file")
            } else {
                err(
                    "error: no saved model yet; looked for:\n"
                        + candidates.map { "  \($0.path)" }.joined(separator: "\n")
                        + "\nRun the chapter first, which trains the simple CNN and saves it as \(modelName):\n"
                        + "  swift run 08-FurtherResearch --no-pause        (or add --quick for a fast, weaker model)")
            }
            return 1
        }
        do {
            let classifier = simpleCNN()
            let metadata = try classifier.load(from: file)
            let info = try ImageClassifierInfo(metadata: metadata, file: file.path)
            let started = ProgressBar.monotonicSeconds()
            let prediction = try predict(classifier, file: image, info: info)
            var text = ""
            if preview { text += terminalPreview(try loadImage(image), maxWidth: 32) }
            text += "\(image): \(prediction.best.name)\n" + prediction.report(top: top)
            out(text)
            let seconds = ProgressBar.monotonicSeconds() - started
            out("(model \(file.path); predicted in \(cFormat("%.0f", seconds * 1000)) ms)")
            return 0
        } catch {
            err("error: " + Workbook.describe(error))
            return 1
        }
    }
}
