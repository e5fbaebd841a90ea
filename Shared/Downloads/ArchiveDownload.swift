import Foundation

// `untarData`'s machinery, kept out of the chapter: the check, curl and tar.

/// Why the file at `archive` is not the expected archive, or nil when it passes fastai's check.
func archiveProblem(_ archive: URL, _ dataset: DownloadableDataset) -> String? {
    guard let handle = try? FileHandle(forReadingFrom: archive) else { return "cannot be read" }
    defer { try? handle.close() }
    let size = (try? FileManager.default.attributesOfItem(atPath: archive.path)[.size] as? Int) ?? -1
    if size != dataset.size { return "has \(size) bytes, expected \(dataset.size)" }
    let head = (try? handle.read(upToCount: 1 << 20)) ?? Data()
    let md5 = MD5.hex(head)
    if md5 != dataset.md5OfFirstMiB { return "has checksum \(md5), expected \(dataset.md5OfFirstMiB)" }
    return nil
}

func createFolder(_ folder: URL) throws {
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
        throw DataError(path: folder.path, message: "cannot create folder: \(error.localizedDescription)")
    }
}

/// The first executable called `name` in the usual system folders.
func tool(_ name: String) throws -> URL {
    for folder in ["/usr/bin", "/bin", "/usr/local/bin", "/opt/homebrew/bin"] {
        let path = folder + "/" + name
        if FileManager.default.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
    }
    throw DataError(path: name, message: "\(name) is not installed; it is needed to download and extract data sets")
}

/// Runs `executable` with `arguments`; returns its exit status and standard error. While it runs,
/// `poll` is called five times a second.
func run(_ executable: URL, _ arguments: [String], poll: () -> Void = {}) throws -> (
    status: Int32, errors: String
) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let errorPipe = Pipe()
    process.standardError = errorPipe
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    // Standard error is drained on another thread so a chatty tool cannot fill the pipe and stall.
    final class Collected: @unchecked Sendable { var data = Data() }
    let collected = Collected()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        collected.data = errorPipe.fileHandleForReading.readDataToEndOfFile()
        drained.signal()
    }
    do {
        try process.run()
    } catch {
        try? errorPipe.fileHandleForWriting.close()  // lets the draining thread finish
        throw DataError(path: executable.path, message: "cannot run: \(error.localizedDescription)")
    }
    while process.isRunning {
        poll()
        usleep(200_000)
    }
    process.waitUntilExit()
    drained.wait()
    return (
        process.terminationStatus,
        String(decoding: collected.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    )
}

/// Fetches `dataset.url` into `archive` via `<archive>.part`, checking it before it takes its name.
func download(_ dataset: DownloadableDataset, to archive: URL, connectTimeout: Int, showProgress: Bool) throws {
    let part = archive.appendingPathExtension("part")
    try? FileManager.default.removeItem(at: part)
    let curl = try tool("curl")
    let kib = max(1, dataset.size / 1024)
    let bar = showProgress ? ProgressBar(total: kib, label: "downloading \(dataset.archiveName) (KiB)") : nil
    // -f: an HTTP error is a failure, not a saved error page; -L: follow redirects; the speed limit
    // gives up on a connection that delivers under 1 KB/s for 30 s, so a stalled server cannot hang us.
    let arguments = [
        "-fL", "-sS", "--connect-timeout", String(connectTimeout),
        "--speed-limit", "1000", "--speed-time", "30", "-o", part.path, dataset.url
    ]
    let result = try run(curl, arguments) {
        let size = (try? FileManager.default.attributesOfItem(atPath: part.path)[.size] as? Int) ?? 0
        bar?.update(min(kib, size / 1024))
    }
    bar?.finish()
    if result.status != 0 {
        try? FileManager.default.removeItem(at: part)
        let reason = result.errors.isEmpty ? "curl exited with status \(result.status)" : result.errors
        throw DataError(path: dataset.url, message: "download failed: \(reason)")
    }
    if let problem = archiveProblem(part, dataset) {
        try? FileManager.default.removeItem(at: part)
        throw DataError(
            path: dataset.url,
            message: "the downloaded archive \(problem) (incomplete or changed download); it was deleted, try again")
    }
    do {
        try? FileManager.default.removeItem(at: archive)
        try FileManager.default.moveItem(at: part, to: archive)
    } catch {
        throw DataError(
            path: archive.path, message: "cannot move the download into place: \(error.localizedDescription)")
    }
}

/// Extracts `archive` with tar into a staging folder beside `destination`, then renames the archive's
/// top folder (`named`, or its only folder, or the staging folder itself) to `destination`.
func extract(_ archive: URL, named name: String, to destination: URL) throws {
    let fm = FileManager.default
    let staging = destination.deletingLastPathComponent()
        .appendingPathComponent(".\(destination.lastPathComponent).extracting-\(getpid())", isDirectory: true)
    try? fm.removeItem(at: staging)
    try createFolder(staging)
    let tar = try tool("tar")
    let result = try run(tar, ["-xzf", archive.path, "-C", staging.path])
    if result.status != 0 {
        try? fm.removeItem(at: staging)
        throw DataError(
            path: archive.path,
            message:
                "extraction failed: \(result.errors.isEmpty ? "tar exited with status \(result.status)" : result.errors)"
        )
    }
    let entries = (try? fm.contentsOfDirectory(atPath: staging.path))?.filter { !$0.hasPrefix(".") } ?? []
    let top: URL
    if entries.contains(name) {
        top = staging.appendingPathComponent(name)
    } else if entries.count == 1, let only = entries.first {
        top = staging.appendingPathComponent(only)
    } else {
        top = staging
    }
    do {
        try fm.moveItem(at: top, to: destination)
    } catch {
        try? fm.removeItem(at: staging)
        throw DataError(
            path: destination.path, message: "cannot move the extracted data into place: \(error.localizedDescription)")
    }
    try? fm.removeItem(at: staging)
}
