import Foundation

/// The data set's folder, downloading and extracting it first if needed: fastai's `untar_data`.
///
/// 1. If `dataFolder/<name>` exists it is returned as is (a fastai user's existing copy included).
/// 2. Otherwise the archive `archiveFolder/<name>.tgz` is used if present and it passes the check
///    (size and MD5 of the first MiB); if absent or failing, it is downloaded with `curl` into
///    `<archive>.part` with a progress bar, a `connectTimeout`-second connect timeout and a stall
///    timeout, checked, and renamed into place.
/// 3. The archive is extracted with `tar` (run as a process) into a hidden staging folder next to the
///    data, which is renamed to `<name>` only when extraction succeeded — a failed or interrupted
///    extraction never leaves a half-filled data folder.
///
/// Throws `DataError` naming the URL, archive or folder, with curl's or tar's message.
@discardableResult
public func untarData(
    _ dataset: DownloadableDataset, archiveFolder: URL = FastaiPaths.archive,
    dataFolder: URL = FastaiPaths.data, connectTimeout: Int = 10,
    showProgress: Bool = true
) throws -> URL {
    let fm = FileManager.default
    let destination = dataFolder.appendingPathComponent(dataset.folderName, isDirectory: true)
    var isFolder: ObjCBool = false
    if fm.fileExists(atPath: destination.path, isDirectory: &isFolder), isFolder.boolValue { return destination }

    let archive = archiveFolder.appendingPathComponent(dataset.archiveName)
    if fm.fileExists(atPath: archive.path), let problem = archiveProblem(archive, dataset) {
        print("note: \(archive.path) \(problem); downloading it again")
        try? fm.removeItem(at: archive)
    }
    if !fm.fileExists(atPath: archive.path) {
        try createFolder(archiveFolder)
        try download(dataset, to: archive, connectTimeout: connectTimeout, showProgress: showProgress)
    }
    try createFolder(dataFolder)
    try extract(archive, named: dataset.folderName, to: destination)
    return destination
}
