import Foundation
import Testing

@testable import Media
@testable import Shared

/// The chapter's "Data" and "Dataset" pieces on a tiny generated folder.
@Suite struct DatasetTests {
    @Test func listingLabelsAndSplit() throws {
        let root = try makeDataTestFolder("listing")
        try makeTinyImageFolder(at: root)
        // Things that must not be listed, or listed despite odd case.
        try Data("x".utf8).write(to: root.appendingPathComponent("train/n01/notes.txt"))
        try Data("x".utf8).write(to: root.appendingPathComponent("train/n01/.hidden.jpg"))
        try writeJPEG(RGBImage(width: 4, height: 4), to: root.appendingPathComponent("train/n02/extra.JpG").path)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("train/n09-empty"),
            withIntermediateDirectories: true)

        let files = try getImageFiles(root)
        #expect(files.count == 3 * 7 + 1)
        #expect(files.allSatisfy { $0.lastPathComponent != "notes.txt" && !$0.lastPathComponent.hasPrefix(".") })
        #expect(files == files.sorted { $0.path < $1.path })
        #expect(try globFiles(root, matching: "*.JPEG").count == 3 * 7)
        #expect(try globFiles(root, matching: "**/*.JPEG").count == 3 * 7)

        let lbls = files.map(\.parentName).unique()
        #expect(lbls == ["n01", "n02", "n03"])  // the empty class folder has no files, so no label
        let v2i = lbls.val2idx()
        #expect(v2i == ["n01": 0, "n02": 1, "n03": 2])

        let trainFilt = files.map { $0.grandparentName == "train" }
        let (train, valid) = (files[trainFilt], files[~trainFilt])
        #expect(train.count == 16 && valid.count == 6)
        #expect(train.allSatisfy { $0.path.contains("/train/") } && valid.allSatisfy { $0.path.contains("/val/") })
        #expect(~[true, false, false] == [false, true, true])
    }

    @Test func missingAndEmptyFolders() throws {
        let root = try makeDataTestFolder("missing")
        let missing = root.appendingPathComponent("nope")
        #expect(throws: DataError(path: missing.path, message: "folder does not exist")) {
            _ = try getImageFiles(missing)
        }
        try Data("text".utf8).write(to: root.appendingPathComponent("readme.txt"))
        #expect(try getImageFiles(root).isEmpty)
        #expect(throws: DataError.self) { _ = try getImageFiles(root.appendingPathComponent("readme.txt")) }
    }

    @Test func datasetItemsAndCollate() throws {
        let root = try makeDataTestFolder("items")
        try makeTinyImageFolder(at: root)
        let files = try getImageFiles(root)
        let v2i = files.map(\.parentName).unique().val2idx()
        let ds = ImageDataset(files, val2idx: v2i)
        #expect(ds.count == 21)
        let (x, y) = try ds[7]
        #expect(x.shape == [64, 64, 3] && y.shape == [] && y.item() == 1)  // files[7] is train/n02
        // Image number 7 was filled with red 35: the resized image is that colour everywhere.
        let v = x.toArray()
        #expect(abs(v[0] - 35 / 255) < 0.02 && abs(v[v.count - 2] - 128 / 255) < 0.02)

        let (xb, yb) = try collate([1, 2], ds)
        #expect(xb.shape == [2, 64, 64, 3] && yb.shape == [2])
        #expect(xb[1].toArray() == (try ds[2]).x.toArray())
        #expect(yb.toArray() == [0, 0])
    }

    @Test func statsNormalizeAndTfmX() throws {
        var g = SeededGenerator(seed: 3)
        let xb = Tensor.rand([4, 8, 8, 3], using: &g) * Tensor([1, 2, 3]) + Tensor([0, 10, 20])
        let stats = batchStats(xb)
        #expect(stats.mean.shape == [3] && stats.std.shape == [3])
        let norm = Normalize(stats)
        let t = tfmX(xb, norm)
        #expect(t.shape == [4, 3, 8, 8] && t.isContiguous)
        let m = t.mean(0, 2, 3).toArray(), s = t.std(0, 2, 3).toArray()
        #expect(m.allSatisfy { abs($0) < 1e-4 } && s.allSatisfy { abs($0 - 1) < 1e-4 })
        // Channel 1 of NCHW is channel 1 of NHWC, normalised.
        let direct = (xb[2][3][5].toArray()[1] - stats.mean.toArray()[1]) / stats.std.toArray()[1]
        #expect(abs(t[2][1][3][5].item() - direct) < 1e-5)
    }
}
