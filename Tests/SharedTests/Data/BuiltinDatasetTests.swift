import Foundation
import Testing

@testable import Media
@testable import Shared

@Suite struct BuiltinDatasetTests {
    @Test func layoutAndCounts() throws {
        let root = try makeDataTestFolder("builtinLayout").appendingPathComponent("set")
        try BuiltinDataset.generate(at: root, trainPerClass: 3, validPerClass: 2, showProgress: false)
        try checkImagenetteLayout(root)
        let files = try getImageFiles(root)
        #expect(files.count == 50)
        #expect(files.map(\.parentName).unique() == BuiltinDataset.classes)
        let trainMask = files.map { $0.grandparentName == "train" }
        #expect(files[trainMask].count == 30 && files[~trainMask].count == 20)
        for file in files.prefix(12) {
            let image = try loadImage(file.path)
            #expect(min(image.width, image.height) == 160 && max(image.width, image.height) <= 240)
        }
        #expect(throws: DataError.self) {
            try BuiltinDataset.generate(at: root, trainPerClass: 1, validPerClass: 1, showProgress: false)
        }
        // Nothing is left beside the data but the data.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: root.deletingLastPathComponent().path)
        #expect(siblings == ["set"])
    }

    @Test func sameSeedSameBytes() throws {
        let base = try makeDataTestFolder("builtinSeed")
        let a = base.appendingPathComponent("a"), b = base.appendingPathComponent("b"),
            c = base.appendingPathComponent("c")
        try BuiltinDataset.generate(at: a, trainPerClass: 2, validPerClass: 1, showProgress: false)
        try BuiltinDataset.generate(at: b, trainPerClass: 2, validPerClass: 1, showProgress: false)
        try BuiltinDataset.generate(at: c, trainPerClass: 2, validPerClass: 1, seed: 99, showProgress: false)
        let fa = try getImageFiles(a), fb = try getImageFiles(b), fc = try getImageFiles(c)
        #expect(fa.count == 30 && fb.count == 30)
        var differentFromOtherSeed = 0
        for i in fa.indices {
            let bytes = try Data(contentsOf: fa[i])
            let same = try Data(contentsOf: fb[i]), other = try Data(contentsOf: fc[i])
            #expect(bytes == same, "\(fa[i].lastPathComponent) differs")
            if bytes != other { differentFromOtherSeed += 1 }
        }
        #expect(differentFromOtherSeed == 30)
    }

    @Test func fullSizeMixOfFileKinds() {
        let jobs = BuiltinDataset.makeJobs(
            train: BuiltinDataset.imagenetteTrainCounts,
            valid: BuiltinDataset.imagenetteValidCounts)
        #expect(jobs.count == 9469 + 3925)
        var gray = 0, cmyk = 0, progressive = 0
        for job in jobs {
            let plan = BuiltinDataset.plan(job, seed: BuiltinDataset.defaultSeed)
            if plan.colorModel == .grayscale { gray += 1 }
            if plan.colorModel == .cmyk { cmyk += 1 }
            if plan.progressive { progressive += 1 }
        }
        #expect(Double(gray) / Double(jobs.count) > 0.04 && Double(gray) / Double(jobs.count) < 0.06)
        #expect(cmyk >= 10 && cmyk <= 60)
        #expect(progressive >= 100)
    }

    /// Class must not be readable from the average colour: a nearest-centroid classifier on the
    /// three channel means of each image stays near chance (10%).
    @Test func channelMeansDoNotRevealTheClass() throws {
        let root = try makeDataTestFolder("builtinMeans").appendingPathComponent("set")
        try BuiltinDataset.generate(at: root, trainPerClass: 24, validPerClass: 12, showProgress: false)
        let files = try getImageFiles(root)
        let ds = ImageDataset(files, val2idx: files.map(\.parentName).unique().val2idx(), size: 32)
        var features: [(SIMD3<Float>, Int, Bool)] = []
        for i in 0..<ds.count {
            let (x, y) = try ds[i]
            let m = x.mean(0, 1).toArray()
            features.append((SIMD3(m[0], m[1], m[2]), Int(y.item()), files[i].grandparentName == "train"))
        }
        var sums = [SIMD3<Float>](repeating: .zero, count: 10), counts = [Float](repeating: 0, count: 10)
        for (f, y, isTrain) in features where isTrain {
            sums[y] += f
            counts[y] += 1
        }
        let centroids = (0..<10).map { sums[$0] / counts[$0] }
        var correct = 0, total = 0
        for (f, y, isTrain) in features where !isTrain {
            func distance(_ c: Int) -> Float {
                let d: SIMD3<Float> = centroids[c] - f
                return (d * d).sum()
            }
            let predicted = (0..<10).min { distance($0) < distance($1) }!
            correct += predicted == y ? 1 : 0
            total += 1
        }
        let accuracy = Double(correct) / Double(total)
        #expect(accuracy < 0.25, "nearest centroid on channel means reached \(accuracy)")
    }
}
