import Foundation
import Testing

@testable import Media
@testable import Shared

/// A dataset whose sample `i` is the number `i` everywhere, that can fail at a chosen index, and
/// that counts how many samples were read.
final class CountingDataset: Dataset, @unchecked Sendable {
    let count: Int
    let failAt: Int?
    let delay: useconds_t
    private let lock = NSLock()
    private var readCount = 0
    var reads: Int {
        lock.lock()
        defer { lock.unlock() }
        return readCount
    }

    init(count: Int, failAt: Int? = nil, delay: useconds_t = 0) {
        self.count = count
        self.failAt = failAt
        self.delay = delay
    }

    var itemShape: [Int] { [2, 2, 3] }

    subscript(i: Int) -> (x: Tensor, y: Tensor) {
        get throws {
            lock.lock()
            readCount += 1
            lock.unlock()
            if delay > 0 { usleep(delay) }
            if i == failAt { throw ImageFileError(path: "/data/bad-\(i).JPEG", message: "Premature end of JPEG file") }
            return (Tensor.full([2, 2, 3], Float(i)), Tensor(Float(i % 10)))
        }
    }
}

@Suite(.serialized) struct DataLoaderTests {
    @Test func lengthRuleAndOrderWithoutShuffle() throws {
        for (n, bs, batches) in [(10, 4, 3), (8, 4, 2), (1, 128, 1), (0, 4, 0), (9469, 128, 74)] {
            #expect(DataLoader(CountingDataset(count: n), bs: bs).count == batches)
        }
        for workers in [0, 1, 2] {
            let dl = DataLoader(CountingDataset(count: 10), bs: 4, workers: workers)
            var seen: [Float] = []
            var shapes: [[Int]] = []
            for (xb, yb) in dl {
                shapes.append(xb.shape)
                seen += xb.toArray().enumerated().filter { $0.offset % 12 == 0 }.map(\.element)
                #expect(yb.shape == [xb.shape[0]])
            }
            try dl.checkError()
            #expect(seen == (0..<10).map { Float($0) }, "workers \(workers)")
            #expect(shapes == [[4, 2, 2, 3], [4, 2, 2, 3], [2, 2, 2, 3]])
        }
    }

    @Test func shuffleIsAPermutationAndSeedable() throws {
        func order(_ dl: DataLoader) throws -> [Float] {
            var out: [Float] = []
            var it = dl.batches()
            while let (xb, _) = try it.next() {
                out += xb.toArray().enumerated().filter { $0.offset % 12 == 0 }.map(\.element)
            }
            return out
        }
        let a = DataLoader(CountingDataset(count: 50), bs: 8, shuffle: true, workers: 2, seed: 7)
        let b = DataLoader(CountingDataset(count: 50), bs: 8, shuffle: true, workers: 1, seed: 7)
        let a1 = try order(a), b1 = try order(b)
        #expect(a1 == b1)
        #expect(a1.sorted() == (0..<50).map(Float.init) && a1 != a1.sorted())
        #expect(try order(a) != a1)  // a new order every epoch
    }

    @Test func firstStopsTheWorkers() throws {
        let ds = CountingDataset(count: 2000, delay: 200)
        let dl = DataLoader(ds, bs: 10, workers: 2, prefetch: 2)
        let (xb, yb) = try first(dl)
        #expect(xb.shape == [10, 2, 2, 3] && yb.toArray() == (0..<10).map(Float.init))
        let readsAtReturn = ds.reads
        usleep(50_000)
        // Workers stopped: at most the batches in flight were read, and nothing after returning.
        #expect(ds.reads == readsAtReturn)
        #expect(readsAtReturn <= 4 * 10, "read \(readsAtReturn) samples for one batch")
    }

    @Test func errorSurfacesInOrderAndStopsWorkers() throws {
        let ds = CountingDataset(count: 400, failAt: 45, delay: 100)
        let dl = DataLoader(ds, bs: 10, workers: 2)
        var it = dl.batches()
        var delivered = 0
        do {
            while try it.next() != nil { delivered += 1 }
            Issue.record("the failure was not reported")
        } catch let error as ImageFileError {
            #expect(error.path == "/data/bad-45.JPEG")
        }
        #expect(delivered == 4)  // batches 0…3 arrive, batch 4 holds sample 45
        let reads = ds.reads
        usleep(50_000)
        #expect(ds.reads == reads && reads < 200)

        // The for-in path ends early and keeps the error for checkError().
        var batches = 0
        for _ in dl { batches += 1 }
        #expect(batches == 4)
        #expect(throws: ImageFileError.self) { try dl.checkError() }
        try dl.checkError()  // thrown once
    }

    @Test func corruptFileMidEpochOnRealImages() throws {
        let root = try makeDataTestFolder("corrupt")
        try makeTinyImageFolder(at: root, trainPerClass: 10, validPerClass: 0)
        let files = try getImageFiles(root)
        let bad = files[17]
        let bytes = try Data(contentsOf: bad)
        try bytes.prefix(bytes.count / 2).write(to: bad)
        let ds = ImageDataset(files, val2idx: files.map(\.parentName).unique().val2idx())
        let dl = DataLoader(ds, bs: 4, workers: 2)
        var it = dl.batches()
        var delivered = 0
        #expect(throws: ImageFileError(path: bad.path, message: "Premature end of JPEG file")) {
            while try it.next() != nil { delivered += 1 }
        }
        #expect(delivered == 4)
    }
}
