import Foundation
import Testing

@testable import Media
@testable import Shared

/// `resolveDataPath` and `FastaiPaths`: these tests set environment variables, so they run one at a
/// time.
@Suite(.serialized) struct DataPathTests {
    /// Runs `body` with environment variables set (nil: unset), restoring them afterwards.
    func with(_ variables: [String: String?], _ body: () throws -> Void) rethrows {
        let saved = variables.keys.map { ($0, ProcessInfo.processInfo.environment[$0]) }
        for (name, value) in variables {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
        defer {
            for (name, value) in saved {
                if let value { setenv(name, value, 1) } else { unsetenv(name) }
            }
        }
        try body()
    }

    @Test func fastaiPathsFollowFASTAI_HOME() {
        with(["FASTAI_HOME": "/tmp/somewhere-fastai"]) {
            #expect(FastaiPaths.archive.path == "/tmp/somewhere-fastai/archive")
            #expect(FastaiPaths.data.path == "/tmp/somewhere-fastai/data")
        }
        #expect(DownloadableDataset.imagenette160.folderName == "imagenette2-160")
        #expect(DownloadableDataset.imagenette160.archiveName == "imagenette2-160.tgz")
    }

    @Test func explicitPathThenEnvironment() throws {
        let root = try makeDataTestFolder("resolveExplicit")
        let good = root.appendingPathComponent("good"), other = root.appendingPathComponent("other")
        try makeTinyImageFolder(at: good)
        try makeTinyImageFolder(at: other)
        try with(["WORKBOOK_DATA": other.path]) { () throws in
            #expect(try resolveDataPath(explicit: good.path, quick: false, say: { _ in }).path == good.path)
            #expect(try resolveDataPath(explicit: nil, quick: true, say: { _ in }).path == other.path)
        }
    }

    @Test func badFoldersAreNamed() throws {
        let root = try makeDataTestFolder("resolveBad")
        let missing = root.appendingPathComponent("missing")
        #expect(throws: DataError(path: missing.path, message: "folder does not exist")) {
            _ = try resolveDataPath(explicit: missing.path, quick: false, say: { _ in })
        }
        // A folder with no images at all.
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(
            at: empty.appendingPathComponent("train/n01"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: empty.appendingPathComponent("val/n01"), withIntermediateDirectories: true)
        #expect(
            throws: DataError(
                path: empty.appendingPathComponent("train").path,
                message: "no images found; expected Imagenette's layout: train/<class>/<image> and val/<class>/<image>")
        ) {
            _ = try resolveDataPath(explicit: empty.path, quick: false, say: { _ in })
        }
        // No val/ folder.
        let half = root.appendingPathComponent("half")
        try makeTinyImageFolder(at: half)
        try FileManager.default.removeItem(at: half.appendingPathComponent("val"))
        do {
            _ = try resolveDataPath(explicit: half.path, quick: false, say: { _ in })
            Issue.record("accepted a folder without val/")
        } catch let error as DataError {
            #expect(error.path == half.path && error.message.contains("no val/ folder"))
        }
        // An empty class folder next to full ones is fine: that class simply has no images.
        let sparse = root.appendingPathComponent("sparse")
        try makeTinyImageFolder(at: sparse)
        try FileManager.default.createDirectory(
            at: sparse.appendingPathComponent("train/n99"), withIntermediateDirectories: true)
        #expect(try resolveDataPath(explicit: sparse.path, quick: false, say: { _ in }).path == sparse.path)
    }

    @Test func quickAndOfflineFallBackToTheBuiltinSet() throws {
        let home = try makeDataTestFolder("resolveHome")
        try with(["FASTAI_HOME": home.path, "WORKBOOK_DATA": nil, "WORKBOOK_OFFLINE": "1"]) { () throws in
            var said: [String] = []
            let quick = try resolveDataPath(explicit: nil, quick: true, say: { said.append($0) })
            #expect(quick.path == home.appendingPathComponent("data/imagenette2-160-builtin-quick").path)
            #expect(try getImageFiles(quick).count == 10 * 42)
            #expect(said.isEmpty)
            // A fastai copy, when present, wins over downloading and over the built-in set.
            let fastaiCopy = home.appendingPathComponent("data/imagenette2-160")
            try makeTinyImageFolder(at: fastaiCopy)
            #expect(try resolveDataPath(explicit: nil, quick: false, say: { said.append($0) }).path == fastaiCopy.path)
            #expect(said.isEmpty)
        }
    }
}
