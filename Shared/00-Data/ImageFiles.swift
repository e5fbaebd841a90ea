import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// fastai's `image_extensions`, lower-case without the dot; only JPEG and PNG decode.
public let imageExtensions: Set<String> = ["jpg", "jpeg", "jpe", "png", "gif", "bmp", "tif", "tiff", "webp"]

/// fastai's `get_files`: every file under `folder` with one of `extensions`, hidden ones skipped.
/// Sorted within each folder, unlike `os.walk`, so labels, splits and seeded shuffles repeat on every
/// machine. Throws `DataError` naming the folder when it is not one.
public func getFiles(_ folder: URL, extensions: Set<String>) throws -> [URL] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else {
        throw DataError(path: folder.path, message: "folder does not exist")
    }
    guard isFolder.boolValue else { throw DataError(path: folder.path, message: "not a folder") }
    var found: [URL] = []
    try walk(folder.standardizedFileURL.path, extensions: Set(extensions.map { $0.lowercased() }), into: &found)
    return found
}

/// The image files under `folder`, recursively (fastai's `get_image_files`).
public func getImageFiles(_ folder: URL) throws -> [URL] {
    try getFiles(folder, extensions: imageExtensions)
}

/// The chapter's `glob(f'{path}/**/*.JPEG', recursive=True)`: files at any depth whose name matches
/// the shell `pattern`; a leading `**/` is optional.
public func globFiles(_ folder: URL, matching pattern: String) throws -> [URL] {
    var namePattern = Substring(pattern)
    while namePattern.hasPrefix("**/") { namePattern = namePattern.dropFirst(3) }
    let all = try getFiles(folder, extensions: [])
    return all.filter { fnmatch(String(namePattern), $0.lastPathComponent, 0) == 0 }
}

/// Lists one folder with `opendir`/`readdir` (much faster than `FileManager` on Linux for folders
/// of thousands of files) and recurses into subfolders. An empty `extensions` keeps every file.
private func walk(_ folder: String, extensions: Set<String>, into found: inout [URL]) throws {
    guard let dir = opendir(folder) else {
        throw DataError(path: folder, message: "cannot list folder: \(String(cString: strerror(errno)))")
    }
    var names: [(name: String, isFolder: Bool)] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        if name.hasPrefix(".") { continue }
        var type = entry.pointee.d_type
        if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
            // Some file systems do not report types, and links are followed: ask stat.
            var info = stat()
            if stat(folder + "/" + name, &info) != 0 { continue }
            type = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
        }
        names.append((name, type == UInt8(DT_DIR)))
    }
    closedir(dir)
    names.sort { $0.name < $1.name }
    for entry in names {
        let path = folder + "/" + entry.name
        if entry.isFolder {
            try walk(path, extensions: extensions, into: &found)
        } else if extensions.isEmpty || extensions.contains(fileExtension(entry.name)) {
            found.append(URL(fileURLWithPath: path, isDirectory: false))
        }
    }
}

/// The lower-cased extension of a file name ("" when there is none).
private func fileExtension(_ name: String) -> String {
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
    return name[name.index(after: dot)...].lowercased()
}

extension URL {
    /// The name of the folder holding this file: the chapter's `Self.parent.name()`, used as a key
    /// path (`files.map(\.parentName)`).
    public var parentName: String { deletingLastPathComponent().lastPathComponent }

    /// The name of the folder two levels up (`o.parent.parent.name`): `train` or `val` in Imagenette.
    public var grandparentName: String { deletingLastPathComponent().deletingLastPathComponent().lastPathComponent }
}
