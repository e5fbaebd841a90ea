import Foundation

/// fastai's `untar_data`: the data set's folder, downloaded (checked against its MD5) and extracted
/// first if missing. Extraction goes to a staging folder renamed on success, so an interrupted one
/// never leaves half a data set. Throws `DataError` naming the URL, archive or folder.
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
