import Foundation

/// fastai's download folders (`~/.fastai/archive`, `~/.fastai/data`, moved by `FASTAI_HOME`), so a
/// fastai user's copy is reused; `config.ini` is not read.
public enum FastaiPaths {
    /// `$FASTAI_HOME`, or `~/.fastai`.
    public static var home: URL {
        if let custom = ProcessInfo.processInfo.environment["FASTAI_HOME"], !custom.isEmpty {
            return URL(fileURLWithPath: (custom as NSString).expandingTildeInPath, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".fastai", isDirectory: true)
    }

    /// Downloaded archives: `home/archive`.
    public static var archive: URL { home.appendingPathComponent("archive", isDirectory: true) }

    /// Extracted data sets: `home/data`.
    public static var data: URL { home.appendingPathComponent("data", isDirectory: true) }
}

/// A data set fastai downloads as one archive, with fastai's check of a good download: the archive's
/// size and the MD5 of its first mebibyte (fastai's `URLs.IMAGENETTE_160` and its checks file).
public struct DownloadableDataset: Sendable, Equatable {
    /// Where the archive is fetched from (any URL curl understands, `file://` included).
    public var url: String
    /// The archive's size in bytes.
    public var size: Int
    /// MD5 of the archive's first 1,048,576 bytes, in hex.
    public var md5OfFirstMiB: String

    /// A data set at `url` with its expected size and checksum (tests pass a small local archive).
    public init(url: String, size: Int, md5OfFirstMiB: String) {
        self.url = url
        self.size = size
        self.md5OfFirstMiB = md5OfFirstMiB
    }

    /// The archive's file name: `imagenette2-160.tgz`.
    public var archiveName: String { URL(string: url)?.lastPathComponent ?? (url as NSString).lastPathComponent }

    /// The folder the data lands in: the archive name without `.tgz`/`.tar.gz`/`.tar`.
    public var folderName: String {
        for suffix in [".tar.gz", ".tgz", ".tar"] where archiveName.hasSuffix(suffix) {
            return String(archiveName.dropLast(suffix.count))
        }
        return archiveName
    }

    /// Imagenette's ten easy classes at 160 px on the shorter side (`URLs.IMAGENETTE_160`).
    public static let imagenette160 = DownloadableDataset(
        url: "https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-160.tgz",
        size: 99_003_388, md5OfFirstMiB: "c475f8f7617a200ba35b9facc48443c3")
}
