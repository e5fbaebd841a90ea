import Foundation

/// The folder the chapters read images from, the first of: `explicit` (`--data`), `$WORKBOOK_DATA`,
/// the small built-in set when `quick` (quick runs never download), fastai's copy of Imagenette,
/// a download (unless `WORKBOOK_OFFLINE`), the full built-in stand-in. `say` tells the reader which.
/// Throws `DataError` when an explicit folder is not in Imagenette's `train/` and `val/` layout.
public func resolveDataPath(
    explicit: String?, quick: Bool,
    say: (String) -> Void = { print($0) }
) throws -> URL {
    let environment = ProcessInfo.processInfo.environment
    if let explicit, !explicit.isEmpty {
        return try checkImagenetteLayout(URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath))
    }
    if let fromEnvironment = environment["WORKBOOK_DATA"], !fromEnvironment.isEmpty {
        return try checkImagenetteLayout(URL(fileURLWithPath: (fromEnvironment as NSString).expandingTildeInPath))
    }
    let data = FastaiPaths.data
    if quick {
        let folder = data.appendingPathComponent("imagenette2-160-builtin-quick")
        return try BuiltinDataset.ensure(at: folder, trainPerClass: 30, validPerClass: 12)
    }
    let fastaiCopy = data.appendingPathComponent(DownloadableDataset.imagenette160.folderName)
    if FileManager.default.fileExists(atPath: fastaiCopy.appendingPathComponent("train").path) {
        return fastaiCopy
    }
    var reason = "WORKBOOK_OFFLINE is set"
    if environment["WORKBOOK_OFFLINE"] == nil {
        do {
            say("Downloading Imagenette (99 MB) to \(data.path)…")
            return try checkImagenetteLayout(untarData(.imagenette160, connectTimeout: 5))
        } catch {
            reason = "\(error)"
        }
    }
    let builtin = data.appendingPathComponent("imagenette2-160-builtin")
    say("Imagenette could not be downloaded; using the built-in stand-in at \(builtin.path)")
    say("  (reason: \(reason))")
    return try BuiltinDataset.ensure(at: builtin)
}

/// `folder`, after checking it holds `train/` and `val/` folders with images in class folders.
/// Throws `DataError` naming the folder and what is missing.
@discardableResult
public func checkImagenetteLayout(_ folder: URL) throws -> URL {
    let layout = "expected Imagenette's layout: train/<class>/<image> and val/<class>/<image>"
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else {
        throw DataError(path: folder.path, message: "folder does not exist")
    }
    guard isFolder.boolValue else { throw DataError(path: folder.path, message: "not a folder; \(layout)") }
    for split in ["train", "val"] {
        let sub = folder.appendingPathComponent(split)
        guard FileManager.default.fileExists(atPath: sub.path) else {
            throw DataError(path: folder.path, message: "no \(split)/ folder; \(layout)")
        }
        let images = try getImageFiles(sub)
        if images.isEmpty { throw DataError(path: sub.path, message: "no images found; \(layout)") }
        if images.contains(where: {
            $0.deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL != sub.standardizedFileURL
        }) {
            // Images directly in train/ (no class folder) or nested deeper would get wrong labels.
            let stray = images.first {
                $0.deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL
                    != sub.standardizedFileURL
            }!
            throw DataError(path: stray.path, message: "image is not inside a class folder of \(split)/; \(layout)")
        }
    }
    return folder
}
